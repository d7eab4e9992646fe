import { Args, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { historicalFeaturesBody, MAX_GRAPHQL_ROWS } from './historical-features.input';
import { HistoricalFeaturesModel } from './historical-features.model';
import { HistoricalFeaturesService } from './historical-features.service';

@Resolver(() => HistoricalFeaturesModel)
export class HistoricalFeaturesResolver {
  constructor(private readonly service: HistoricalFeaturesService) {}

  @Query(() => HistoricalFeaturesModel, {
    description: `Point-in-time feature values for entity rows (as POST /v1/historical-features), for small requests: at most ${MAX_GRAPHQL_ROWS} rows. Give features or featureService.`,
  })
  @Authorize('features.read.offline')
  historicalFeatures(
    @Args('entities', { type: () => GraphQLJSON, description: 'Columns: the join keys of every requested view, event_timestamp, and any extra columns to pass through.' })
    entities: unknown,
    @Args('features', { type: () => [String], nullable: true, description: '`view:feature` references, in output order.' }) features?: string[],
    @Args('featureService', { nullable: true }) featureService?: string,
    @Args('fullFeatureNames', { nullable: true, description: 'Name outputs `view__feature`.' }) fullFeatureNames?: boolean,
  ): Promise<HistoricalFeaturesModel> {
    const request = parseBody(historicalFeaturesBody, { features: features ?? undefined, feature_service: featureService ?? undefined, entities, full_feature_names: fullFeatureNames ?? false });
    return this.service.columns(request, MAX_GRAPHQL_ROWS, 'GraphQL');
  }
}
