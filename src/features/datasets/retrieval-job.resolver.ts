import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import type { RetrievalJob } from './retrieval-job';
import { RetrievalJobModel } from './retrieval-job.model';
import { RetrievalJobService } from './retrieval-job.service';
import { saveInputBody, SaveTrainingDatasetInput } from './training-dataset.model';
import { parseSaveBody } from './training-dataset.input';
import { TrainingDatasetService } from './training-dataset.service';

@Resolver(() => RetrievalJobModel)
export class RetrievalJobResolver {
  constructor(
    private readonly jobs: RetrievalJobService,
    private readonly datasets: TrainingDatasetService,
  ) {}

  @Query(() => RetrievalJobModel, { description: 'A retrieval job of yours: status, progress, and its training dataset version once done.' })
  @Authorize('features.read.offline')
  retrievalJob(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Principal): Promise<RetrievalJob> {
    return this.jobs.get(id, who);
  }

  @Mutation(() => RetrievalJobModel, { description: 'Queues saveTrainingDataset as a retrieval job whatever its size; poll retrievalJob(id).' })
  @Authorize('features.read.offline')
  async startTrainingDatasetJob(@Args('input') input: SaveTrainingDatasetInput, @CurrentPrincipal() who: Principal): Promise<RetrievalJob> {
    const outcome = await this.datasets.submit(parseSaveBody(saveInputBody(input)), who, { async: true, kind: 'training-dataset' });
    return outcome.job!;
  }

  @Mutation(() => RetrievalJobModel, { description: 'Cancels a retrieval job (a running one stops at its next join step).' })
  @Authorize('features.read.offline')
  cancelRetrievalJob(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Principal): Promise<RetrievalJob> {
    return this.jobs.cancel(id, who);
  }
}
