import { Args, Query, Resolver } from '@nestjs/graphql';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { argField, modelNamed } from '../../governance/auth/resources';
import { predictBody } from './predict-request';
import { PredictInput, PredictionModel } from './prediction.model';
import { PredictionService } from './prediction.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';

@Resolver(() => PredictionModel)
export class PredictionResolver {
  constructor(private readonly prediction: PredictionService) {}

  @Query(() => PredictionModel, { description: "Scores entity rows with the model's deployment (same as POST /v1/models/{name}/predict)." })
  @Authorize('models.predict', modelNamed(argField('name')))
  predict(@Args('name') name: string, @Args('input', { type: () => PredictInput }) input: PredictInput, @CurrentPrincipal() who: Principal): Promise<PredictionModel> {
    const req = parseBody(predictBody, { entities: input.entities, ...(input.requestFeatures == null ? {} : { request_features: input.requestFeatures }) });
    return this.prediction.predict(name, { entities: req.entities, requestFeatures: req.request_features ?? {} }, who);
  }
}
