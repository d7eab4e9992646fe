import { Args, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { z } from 'zod';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { FeatureStatusGql, OnlineFeaturesModel } from './online-features.model';
import { OnlineServingService } from './online-serving.service';
import { MAX_FEATURES } from './serving-request';

const args = z
  .object({
    features: z.array(z.string().min(1)).min(1).max(MAX_FEATURES).optional(),
    featureService: z.string().min(1).optional(),
    entities: z.record(z.string().min(1), z.array(z.unknown())),
  })
  .refine((b) => (b.features === undefined) !== (b.featureService === undefined), { message: 'give exactly one of features or featureService', path: ['features'] });

@Resolver(() => OnlineFeaturesModel)
export class ServingResolver {
  constructor(private readonly serving: OnlineServingService) {}

  @Query(() => OnlineFeaturesModel, { description: 'Latest feature values of entities from the online store (same content as POST /get-online-features).' })
  @Authorize('features.read.online')
  async onlineFeatures(
    @Args('entities', { type: () => GraphQLJSON, description: 'Join key -> one value per entity row, e.g. {"driver_id": [1001, 1002]}.' }) entities: unknown,
    @Args('features', { type: () => [String], nullable: true, description: 'view:feature references.' }) features: string[] | undefined,
    @Args('featureService', { type: () => String, nullable: true }) featureService: string | undefined,
    @Args('fullFeatureNames', { type: () => Boolean, nullable: true, defaultValue: false }) fullFeatureNames: boolean | undefined,
    @CurrentPrincipal() who: Principal,
  ): Promise<OnlineFeaturesModel> {
    const req = parseBody(args, { features: features ?? undefined, featureService: featureService ?? undefined, entities });
    const res = await this.serving.getOnlineFeatures({ ...req, fullFeatureNames: fullFeatureNames ?? false }, new Date(), who);
    return {
      metadata: { featureNames: res.metadata.feature_names },
      results: res.results.map((c) => ({ values: c.values, statuses: c.statuses as FeatureStatusGql[], eventTimestamps: c.event_timestamps })),
    };
  }
}
