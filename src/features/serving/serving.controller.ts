import { HttpCode, Injectable, Post } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiDoc } from '../../common/http/api-doc';
import { compileBodyCheck, FastRoute, FastRoutes } from '../../common/http/fast-route';
import { badRequest } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { principalOf } from '../../governance/auth/current-principal';
import { OnlineServingService } from './online-serving.service';
import { EXACTLY_ONE, ONLINE_FEATURES_RESPONSE_SCHEMA, onlineFeaturesBody, OnlineFeaturesResponse } from './serving-request';

/**
 * Feast's feature-server route, same request and response JSON. A fast route (ADR 0037): a plain
 * Fastify route with a compiled body check and serializer; authorization, rate limit, metrics and the
 * access line run as on every route.
 */
@FastRoutes()
@Injectable()
export class ServingController {
  private readonly checkBody = compileBodyCheck<z.output<typeof onlineFeaturesBody>>(onlineFeaturesBody);

  constructor(private readonly serving: OnlineServingService) {}

  @Post('get-online-features')
  @FastRoute({ response: ONLINE_FEATURES_RESPONSE_SCHEMA })
  @ApiDoc({ tag: 'feature store', summary: 'Online feature values (Feast feature server protocol)', body: onlineFeaturesBody })
  @Authorize('features.read.online')
  @HttpCode(200)
  getOnlineFeatures(request: FastifyRequest): Promise<OnlineFeaturesResponse> {
    const req = this.checkBody(request.body);
    if ((req.features === undefined) === (req.feature_service === undefined)) throw badRequest([{ field: 'features', reason: EXACTLY_ONE }]);
    return this.serving.getOnlineFeatures({ features: req.features, featureService: req.feature_service, entities: req.entities, fullFeatureNames: req.full_feature_names }, new Date(), principalOf(request));
  }
}
