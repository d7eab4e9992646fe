import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, ResourceFn } from '../governance/auth/authorize.decorator';
import { QualityError, QualityErrorCode } from './quality-error';
import type { QualityRun } from './quality-results.repository';
import { QualityResultsRepository } from './quality-results.repository';
import { QualityRunModel } from './quality.model';
import { QualityService } from './quality.service';

const MAX_RUNS = 100;

/** The data product named by the `productId` argument (running checks is scoped to its domain). */
const productArg: ResourceFn = async (input, lookup) => {
  const id = typeof input.args.productId === 'string' ? input.args.productId : '';
  return { type: 'product', id, domain: id ? await lookup.productDomain(id) : null };
};

function toModel(run: QualityRun): QualityRunModel {
  return { ...run, results: run.results.map(({ id, ...r }) => ({ ...r, ruleId: id })) };
}

@Resolver(() => QualityRunModel)
export class QualityResolver {
  constructor(
    private readonly quality: QualityService,
    private readonly results: QualityResultsRepository,
  ) {}

  @Query(() => [QualityRunModel], { description: "Data quality runs of an output port (every major version), newest first, with each rule's result." })
  @Authorize('catalog.read')
  async qualityRuns(@Args('productId') productId: string, @Args('port') port: string, @Args('first', { type: () => Int, defaultValue: 20 }) first: number): Promise<QualityRunModel[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_RUNS) throw new QualityError(QualityErrorCode.INVALID_ARGUMENT, `first: must be between 1 and ${MAX_RUNS}`);
    return (await this.results.runs(productId, port, first)).map(toModel);
  }

  @Mutation(() => QualityRunModel, { description: "Evaluates the port's quality rules now (newest major version) and records the run." })
  @Authorize('features.ingest', productArg)
  async runQualityChecks(@Args('productId') productId: string, @Args('port') port: string): Promise<QualityRunModel> {
    return toModel(await this.quality.runPort(productId, port, 'api'));
  }
}
