import { HttpCode, Injectable, Post } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiDoc } from '../../common/http/api-doc';
import { compileBodyCheck, FastRoute, FastRoutes } from '../../common/http/fast-route';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { principalOf } from '../../governance/auth/current-principal';
import { modelNamed } from '../../governance/auth/resources';
import { predictBody } from './predict-request';
import type { PredictionResult } from './prediction';
import { PredictionService } from './prediction.service';

/** The compiled check of predictBody (ajv from its JSON Schema; test/unit/fast-route-body.spec.ts holds it to zod). */
export const checkPredictBody = compileBodyCheck<z.output<typeof predictBody>>(predictBody);

/** A fast route (ADR 0037): a plain Fastify route; authorization, rate limit, metrics and the access line run as on every route. */
@FastRoutes()
@Injectable()
export class PredictionController {
  constructor(private readonly prediction: PredictionService) {}

  /** Scores entity rows with the model's deployment (DESIGN.md: External API surface). */
  @Post('v1/models/:name/predict')
  @FastRoute()
  @ApiDoc({ tag: 'models', summary: 'Predict for entities: online features fetched and scored in-process', body: predictBody, params: { name: 'model name' } })
  @HttpCode(200)
  @Authorize('models.predict', modelNamed((input) => input.params.name))
  predict(request: FastifyRequest): Promise<PredictionResult> {
    const req = checkPredictBody(request.body);
    const { name } = request.params as { name: string };
    return this.prediction.predict(name, { entities: req.entities, requestFeatures: req.request_features ?? {} }, principalOf(request));
  }
}
