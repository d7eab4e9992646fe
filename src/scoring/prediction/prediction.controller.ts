import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { modelNamed } from '../../governance/auth/resources';
import { predictBody } from './predict-request';
import type { PredictionResult } from './prediction';
import { PredictionService } from './prediction.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';

@Controller('v1/models')
export class PredictionController {
  constructor(private readonly prediction: PredictionService) {}

  /** Scores entity rows with the model's deployment (DESIGN.md: External API surface). */
  @Post(':name/predict')
  @ApiDoc({ tag: 'models', summary: 'Predict for entities: online features fetched and scored in-process', body: predictBody, params: { name: 'model name' } })
  @HttpCode(200)
  @Authorize('models.predict', modelNamed((input) => input.params.name))
  predict(@Param('name') name: string, @Body() body: unknown, @CurrentPrincipal() who: Principal): Promise<PredictionResult> {
    const req = parseBody(predictBody, body);
    return this.prediction.predict(name, { entities: req.entities, requestFeatures: req.request_features ?? {} }, who);
  }
}
