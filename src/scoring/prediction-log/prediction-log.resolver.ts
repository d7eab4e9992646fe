import { Args, Float, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import { argField, modelInDomain } from '../../governance/auth/resources';
import type { Principal } from '../../governance/auth/principal';
import { PredictionLogEntryModel, PredictionLogOrderGql, PredictionLogRoleGql, PredictionLogSampleRateModel, PredictionLogStatsModel } from './prediction-log.model';
import { PredictionLogService, type SampleRateView } from './prediction-log.service';
import type { StoredPredictionLogEntry } from './prediction-log.repository';
import type { PredictionLogStats } from './prediction-log.writer';

export const GRAPHQL_MAX_ENTRIES = 1_000;

@Resolver(() => PredictionLogEntryModel)
export class PredictionLogResolver {
  constructor(private readonly service: PredictionLogService) {}

  @Query(() => [PredictionLogEntryModel], {
    description: `Sampled prediction log entries of a model, newest first by default (at most ${GRAPHQL_MAX_ENTRIES}); since inclusive, until exclusive. Bulk export: GET /v1/models/{name}/prediction-log as Arrow.`,
  })
  @Authorize('models.read')
  predictionLog(
    @Args('model') model: string,
    @Args('version', { nullable: true }) version?: string,
    @Args('role', { type: () => PredictionLogRoleGql, nullable: true }) role?: PredictionLogRoleGql,
    @Args('since', { type: () => Date, nullable: true }) since?: Date,
    @Args('until', { type: () => Date, nullable: true }) until?: Date,
    @Args('limit', { type: () => Int, defaultValue: 100 }) limit = 100,
    @Args('order', { type: () => PredictionLogOrderGql, defaultValue: PredictionLogOrderGql.desc }) order = PredictionLogOrderGql.desc,
  ): Promise<StoredPredictionLogEntry[]> {
    return this.service.list({ model, version, role, since, until, order }, limit, GRAPHQL_MAX_ENTRIES);
  }

  @Query(() => PredictionLogSampleRateModel, { description: 'The per-model sample rate setting of the prediction log.' })
  @Authorize('models.read')
  predictionLogSampleRate(@Args('model') model: string): Promise<SampleRateView> {
    return this.service.sampleRate(model);
  }

  @Query(() => PredictionLogStatsModel, { description: "Buffer and write counters of this instance's prediction log writer." })
  @Authorize('models.read')
  predictionLogStats(): PredictionLogStats {
    return this.service.stats();
  }

  @Mutation(() => PredictionLogSampleRateModel, {
    description: "Sets the fraction (0..1) of a model's prediction requests that are logged, for all its versions; null removes the setting.",
  })
  // Changing what is logged of a model's traffic is an operational change of the model, like a deployment.
  @Authorize('models.deploy', modelInDomain(argField('model')))
  setPredictionLogSampleRate(@Args('model') model: string, @Args('sampleRate', { type: () => Float, nullable: true }) sampleRate: number | null, @CurrentPrincipal() who: Principal): Promise<SampleRateView> {
    return this.service.setSampleRate(model, sampleRate ?? null, who.id);
  }
}
