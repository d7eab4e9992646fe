import { Args, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { historicalFeaturesBody, MAX_GRAPHQL_ROWS } from './historical-features.input';
import { HistoricalFeaturesModel } from './historical-features.model';
import { HistoricalFeaturesService } from './historical-features.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';

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
    @Args('features', { type: () => [String], nullable: true, description: '`view:feature` references, in output order.' }) features: string[] | undefined,
    @Args('featureService', { type: () => String, nullable: true }) featureService: string | undefined,
    @Args('fullFeatureNames', { type: () => Boolean, nullable: true, description: 'Name outputs `view__feature`.' }) fullFeatureNames: boolean | undefined,
    @CurrentPrincipal() who: Principal,
  ): Promise<HistoricalFeaturesModel> {
    const request = parseBody(historicalFeaturesBody, { features: features ?? undefined, feature_service: featureService ?? undefined, entities, full_feature_names: fullFeatureNames ?? false });
    return this.service.columns(request, MAX_GRAPHQL_ROWS, 'GraphQL', who);
  }
}
