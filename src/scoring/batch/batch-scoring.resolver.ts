import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { argField, modelInDomain } from '../../governance/auth/resources';
import type { BatchScoringJob } from './batch-scoring-job';
import { batchScoringBody } from './batch-scoring-request';
import { BatchScoringJobModel, BatchScoringJobStatusGql } from './batch-scoring.model';
import { BatchScoringService } from './batch-scoring.service';

function toModel(job: BatchScoringJob): BatchScoringJobModel {
  return { ...job, status: job.status as BatchScoringJobStatusGql };
}

@Resolver(() => BatchScoringJobModel)
export class BatchScoringResolver {
  constructor(private readonly batch: BatchScoringService) {}

  @Mutation(() => BatchScoringJobModel, {
    description:
      'Queues a batch scoring job (same as POST /v1/models/{name}/batch-scoring): the version (default production) over `entities` (join key columns; default every entity of its feature service) as of `asOf` (default now). The same version, asOf and entities while queued or running answer that job.',
  })
  @Authorize('models.deploy', modelInDomain(argField('name')))
  async scoreBatch(
    @Args('name') name: string,
    @CurrentPrincipal() who: Principal,
    @Args('version', { nullable: true }) version?: string,
    @Args('asOf', { type: () => Date, nullable: true }) asOf?: Date,
    @Args('entities', { type: () => GraphQLJSON, nullable: true }) entities?: unknown,
  ): Promise<BatchScoringJobModel> {
    const req = parseBody(batchScoringBody, { ...(version == null ? {} : { version }), ...(entities == null ? {} : { entities }) });
    return toModel((await this.batch.request(name, { version: req.version, asOf: asOf ?? new Date(), entities: req.entities }, who.id)).job);
  }

  @Query(() => BatchScoringJobModel)
  @Authorize('jobs.read')
  async batchScoringJob(@Args('id', { type: () => ID }) id: string): Promise<BatchScoringJobModel> {
    return toModel(await this.batch.job(id));
  }

  @Query(() => [BatchScoringJobModel], { description: 'Newest first, optionally of one model.' })
  @Authorize('jobs.read')
  async batchScoringJobs(@Args('model', { nullable: true }) model?: string, @Args('first', { type: () => Int, defaultValue: 20 }) first = 20): Promise<BatchScoringJobModel[]> {
    return (await this.batch.list({ model: model ?? undefined, first })).map(toModel);
  }
}
