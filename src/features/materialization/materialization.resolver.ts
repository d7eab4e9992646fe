import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { argField, featureViews } from '../../governance/auth/resources';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { MaterializationJob } from './materialization-job';
import { MaterializationJobModel, MaterializationJobStatusGql } from './materialization-job.model';
import { MaterializationService } from './materialization.service';

const MAX_JOBS = 500;

function toModel(job: MaterializationJob): MaterializationJobModel {
  return { ...job, status: job.status as MaterializationJobStatusGql };
}

@Resolver(() => MaterializationJobModel)
export class MaterializationResolver {
  constructor(private readonly materialization: MaterializationService) {}

  @Mutation(() => MaterializationJobModel, { description: 'Materializes rows with event time in [startTs, endTs) of the given online views (default: all); returns when done.' })
  @Authorize('features.materialize', featureViews(argField('featureViews')))
  async materialize(@Args('startTs') startTs: Date, @Args('endTs') endTs: Date, @Args('featureViews', { type: () => [String], nullable: true }) featureViews?: string[]): Promise<MaterializationJobModel> {
    return toModel(await this.materialization.materialize({ start: startTs, end: endTs, views: featureViews }));
  }

  @Mutation(() => MaterializationJobModel, { description: "Materializes each view from its watermark (the previous run's end) up to endTs." })
  @Authorize('features.materialize', featureViews(argField('featureViews')))
  async materializeIncremental(@Args('endTs') endTs: Date, @Args('featureViews', { type: () => [String], nullable: true }) featureViews?: string[]): Promise<MaterializationJobModel> {
    return toModel(await this.materialization.materializeIncremental({ end: endTs, views: featureViews }));
  }

  @Query(() => MaterializationJobModel)
  @Authorize('jobs.read')
  async materializationJob(@Args('id', { type: () => ID }) id: string): Promise<MaterializationJobModel> {
    return toModel(await this.materialization.job(id));
  }

  @Query(() => [MaterializationJobModel], { description: 'Newest first.' })
  @Authorize('jobs.read')
  async materializationJobs(@Args('first', { type: () => Int, defaultValue: 20 }) first: number): Promise<MaterializationJobModel[]> {
    if (first < 1 || first > MAX_JOBS) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `first must be between 1 and ${MAX_JOBS}`);
    return (await this.materialization.jobsList(first)).map(toModel);
  }
}
