import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { OnlineServingService } from './online-serving.service';
import { onlineFeaturesBody, OnlineFeaturesResponse } from './serving-request';

/** Feast's feature-server route, same request and response JSON. */
@Controller()
export class ServingController {
  constructor(private readonly serving: OnlineServingService) {}

  @Post('get-online-features')
  @ApiDoc({ tag: 'feature store', summary: 'Online feature values (Feast feature server protocol)', body: onlineFeaturesBody })
  @Authorize('features.read.online')
  @HttpCode(200)
  getOnlineFeatures(@Body() body: unknown, @CurrentPrincipal() who: Principal): Promise<OnlineFeaturesResponse> {
    const req = parseBody(onlineFeaturesBody, body);
    return this.serving.getOnlineFeatures({ features: req.features, featureService: req.feature_service, entities: req.entities, fullFeatureNames: req.full_feature_names }, new Date(), who);
  }
}
