import { HttpCode, Injectable, Post } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiDoc } from '../../common/http/api-doc';
import { FastRoute, FastRoutes } from '../../common/http/fast-route';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { principalOf } from '../../governance/auth/current-principal';
import { OnlineServingService } from './online-serving.service';
import { encodeOnlineFeatures } from './online-features-encoder';
import { checkOnlineFeaturesBody, onlineFeaturesBody, OnlineFeaturesResponse } from './serving-request';

/**
 * Feast's feature-server route, same request and response JSON. A fast route (ADR 0037): a plain
 * Fastify route with a compiled body check and a hand-written encoder of the answer; authorization, rate limit, metrics and the
 * access line run as on every route.
 */
@FastRoutes()
@Injectable()
export class ServingController {
  constructor(private readonly serving: OnlineServingService) {}

  @Post('get-online-features')
  @FastRoute({ serialize: encodeOnlineFeatures })
  @ApiDoc({ tag: 'feature store', summary: 'Online feature values (Feast feature server protocol)', body: onlineFeaturesBody })
  @Authorize('features.read.online')
  @HttpCode(200)
  getOnlineFeatures(request: FastifyRequest, reply: FastifyReply): Promise<OnlineFeaturesResponse | Buffer> {
    const req = checkOnlineFeaturesBody(request.body);
    // The answer may be JSON bytes already (written from the stored bytes), sent as they are: the content type is ours to say.
    void reply.type('application/json; charset=utf-8');
    return this.serving.getOnlineFeaturesJson({ features: req.features, featureService: req.feature_service, entities: req.entities, fullFeatureNames: req.full_feature_names }, new Date(), principalOf(request));
  }
}
