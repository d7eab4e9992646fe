import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { datasetPath, listQuery, MAX_GRAPHQL_EXPORT_ROWS, parseSaveBody, rowsQuery } from './training-dataset.input';
import { saveInputBody, SaveTrainingDatasetInput, TrainingDatasetModel } from './training-dataset.model';
import { TrainingDatasetService } from './training-dataset.service';
import type { TrainingDataset } from './training-dataset';

@Resolver(() => TrainingDatasetModel)
export class TrainingDatasetResolver {
  constructor(private readonly datasets: TrainingDatasetService) {}

  @Query(() => [TrainingDatasetModel], { description: 'Saved training datasets, by name then newest version first; only the versions of `name` when given.' })
  @Authorize('catalog.read')
  trainingDatasets(@Args('name', { nullable: true }) name?: string, @Args('first', { type: () => Int, defaultValue: 100, description: 'At most 1000.' }) first?: number): Promise<TrainingDataset[]> {
    const q = parseBody(listQuery, { name: name ?? undefined, limit: first });
    return this.datasets.list(q.name, q.limit);
  }

  @Query(() => TrainingDatasetModel, { description: 'One version of a training dataset (the newest when version is omitted).' })
  @Authorize('catalog.read')
  trainingDataset(@Args('name') name: string, @Args('version', { type: () => Int, nullable: true }) version?: number | null): Promise<TrainingDataset> {
    const p = parseBody(datasetPath, { name, version: version ?? 'latest' });
    return this.datasets.get(p.name, p.version);
  }

  @Mutation(() => TrainingDatasetModel, { description: 'Runs a point-in-time retrieval (as historicalFeatures) and stores its rows as the next version of `name`.' })
  @Authorize('features.read.offline')
  saveTrainingDataset(@Args('input') input: SaveTrainingDatasetInput, @CurrentPrincipal() who: Principal): Promise<TrainingDataset> {
    return this.datasets.save(parseSaveBody(saveInputBody(input)), who.id, who);
  }

  @ResolveField(() => GraphQLJSON, {
    description: `Rows [offset, offset + limit) as columns (name → values in request row order), as historicalFeatures answered them; at most ${MAX_GRAPHQL_EXPORT_ROWS} rows. Large exports: GET /v1/training-datasets/{name}/versions/{version}/rows as Arrow.`,
  })
  @Authorize('features.read.offline')
  async rows(
    @Parent() dataset: TrainingDataset,
    @Args('offset', { type: () => Int, defaultValue: 0 }) offset: number,
    @Args('limit', { type: () => Int, defaultValue: 100 }) limit: number,
  ): Promise<Record<string, unknown[]>> {
    const q = parseBody(rowsQuery, { offset, limit: Math.min(limit, MAX_GRAPHQL_EXPORT_ROWS) });
    return (await this.datasets.page(dataset, q.offset, q.limit ?? MAX_GRAPHQL_EXPORT_ROWS)).columns;
  }
}
