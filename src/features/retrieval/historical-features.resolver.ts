import { Args, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { parseRetrievalBody } from '../datasets/training-dataset.input';
import { TrainingDatasetService } from '../datasets/training-dataset.service';
import { MAX_GRAPHQL_ROWS } from './historical-features.input';
import { HistoricalFeaturesModel } from './historical-features.model';
import { HistoricalFeaturesService } from './historical-features.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';

/** Registered by DatasetsModule (entity queries are the datasets module's). */
@Resolver(() => HistoricalFeaturesModel)
export class HistoricalFeaturesResolver {
  constructor(
    private readonly service: HistoricalFeaturesService,
    private readonly datasets: TrainingDatasetService,
  ) {}

  @Query(() => HistoricalFeaturesModel, {
    description: `Point-in-time feature values for entity rows (as POST /v1/historical-features), for small requests: at most ${MAX_GRAPHQL_ROWS} rows. Give features or featureService, and entities or entitiesFrom. Large ones: startTrainingDatasetJob.`,
  })
  @Authorize('features.read.offline')
  async historicalFeatures(
    @Args('entities', { type: () => GraphQLJSON, nullable: true, description: 'Columns: the join keys of every requested view, event_timestamp, and any extra columns to pass through.' })
    entities: unknown,
    @Args('features', { type: () => [String], nullable: true, description: '`view:feature` references, in output order.' }) features: string[] | undefined,
    @Args('featureService', { type: () => String, nullable: true }) featureService: string | undefined,
    @Args('fullFeatureNames', { type: () => Boolean, nullable: true, description: 'Name outputs `view__feature`.' }) fullFeatureNames: boolean | undefined,
    @CurrentPrincipal() who: Principal,
    @Args('entitiesFrom', {
      type: () => GraphQLJSON,
      nullable: true,
      description: 'Instead of entities: {dataProduct, outputPort, columns, timestamp?, from?, to?}, the rows of an output port you may read, read inside PostgreSQL.',
    })
    entitiesFrom?: unknown,
  ): Promise<HistoricalFeaturesModel> {
    const body = {
      features: features ?? undefined,
      feature_service: featureService ?? undefined,
      full_feature_names: fullFeatureNames ?? false,
      ...(entitiesFrom !== undefined && entitiesFrom !== null ? { entities_from: entitiesFrom } : { entities }),
    };
    const request = parseRetrievalBody(body);
    if (!request.entitiesFrom) return this.service.columns(request.retrieval, MAX_GRAPHQL_ROWS, 'GraphQL', who);
    const outcome = await this.datasets.retrieveOrQueue(request, who, false, 'never');
    if (!('prepared' in outcome)) throw new Error('unreachable: jobs are never queued here');
    return this.datasets.answerColumns(outcome.prepared, MAX_GRAPHQL_ROWS, 'GraphQL');
  }
}
