import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, ResourceFn } from '../governance/auth/authorize.decorator';
import { SloEvaluator } from './slo-evaluator.service';
import { SloStatusService } from './slo-status.service';
import { ProductSloSummaryModel, SloStateModel } from './slo.model';

/** Evaluating one product's SLOs is scoped to its domain; the whole mesh (no productId) needs an admin. */
const productArg: ResourceFn = async (input, lookup) => {
  const id = typeof input.args.productId === 'string' ? input.args.productId : '';
  return { type: 'product', id, domain: id ? await lookup.productDomain(id) : null };
};

@Resolver()
export class SloResolver {
  constructor(
    private readonly status: SloStatusService,
    private readonly evaluator: SloEvaluator,
  ) {}

  @Query(() => [SloStateModel], { description: 'Measured SLOs of a data product’s table output ports as last evaluated (by the schedule or evaluateSlos); empty before the first evaluation. Never evaluates.' })
  @Authorize('catalog.read')
  sloStatus(@Args('productId') productId: string): Promise<SloStateModel[]> {
    return this.status.forProduct(productId) as Promise<SloStateModel[]>;
  }

  @Query(() => [ProductSloSummaryModel], { description: 'Every product’s SLOs as last evaluated, with counts per status.' })
  @Authorize('catalog.read')
  meshSloStatus(): Promise<ProductSloSummaryModel[]> {
    return this.status.mesh() as Promise<ProductSloSummaryModel[]>;
  }

  @Mutation(() => [SloStateModel], { description: 'Evaluates the SLOs of one product (or of the whole mesh) now.' })
  @Authorize('features.ingest', productArg)
  async evaluateSlos(@Args('productId', { type: () => String, nullable: true }) productId: string | null): Promise<SloStateModel[]> {
    await this.evaluator.evaluate(productId ?? undefined);
    return (productId ? await this.status.forProduct(productId) : (await this.status.mesh()).flatMap((p) => p.slos)) as SloStateModel[];
  }
}
