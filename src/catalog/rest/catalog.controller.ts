import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CatalogQueryService, MAX_PAGE_SIZE } from '../discovery/catalog-query.service';
import { ContractHistoryService } from '../discovery/contract-history.service';
import type { ContractVersionModel, DataContractModel } from '../graphql/data-contract.model';
import type { DataProductConnectionModel, DataProductModel } from '../graphql/data-product.model';
import { ProductStatusGql, ProductTypeGql } from '../graphql/data-product.model';

const productsQuery = z.strictObject({
  search: z.string().min(1).max(500).optional(),
  domain: z.string().min(1).max(200).optional(),
  /** Comma-separated: products having all of these tags. */
  tags: z.string().min(1).max(2000).optional(),
  status: z.enum(ProductStatusGql).optional(),
  type: z.enum(ProductTypeGql).optional(),
  first: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  after: z.string().min(1).max(200).optional(),
});

const contractsQuery = z.strictObject({ domain: z.string().min(1).max(200).optional() });

/** REST twins of the catalog's GraphQL queries (dataProducts, dataProduct, dataContract, contractHistory). */
@Controller('v1')
export class CatalogController {
  constructor(
    private readonly queries: CatalogQueryService,
    private readonly history: ContractHistoryService,
  ) {}

  @Get('data-products')
  @ApiDoc({ tag: 'catalog', summary: 'Data products, ranked by full-text relevance when search is given; paged with first/after', query: productsQuery })
  @Authorize('catalog.read')
  products(@Query() query: unknown): Promise<DataProductConnectionModel> {
    const q = parseBody(productsQuery, query ?? {});
    const tags = q.tags
      ?.split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    return this.queries.search({ search: q.search, domain: q.domain, tags, status: q.status, type: q.type }, q.first, q.after);
  }

  @Get('data-products/:productId')
  @ApiDoc({ tag: 'catalog', summary: 'A data product with its ports and their contracts', params: { productId: 'data product id' } })
  @Authorize('catalog.read')
  product(@Param('productId') productId: string): Promise<DataProductModel> {
    return this.queries.product(productId);
  }

  @Get('contracts')
  @ApiDoc({ tag: 'catalog', summary: 'Data contracts (current versions), optionally of one domain', query: contractsQuery })
  @Authorize('catalog.read')
  async contracts(@Query() query: unknown): Promise<{ contracts: DataContractModel[] }> {
    const q = parseBody(contractsQuery, query ?? {});
    return { contracts: await this.queries.contracts(q.domain) };
  }

  @Get('contracts/:id')
  @ApiDoc({ tag: 'catalog', summary: 'A data contract, current version', params: { id: 'contract id' } })
  @Authorize('catalog.read')
  contract(@Param('id') id: string): Promise<DataContractModel> {
    return this.queries.contract(id);
  }

  @Get('contracts/:id/versions')
  @ApiDoc({ tag: 'catalog', summary: 'Applied revisions of a contract with their diff, newest first', params: { id: 'contract id' } })
  @Authorize('catalog.read')
  async versions(@Param('id') id: string): Promise<{ versions: ContractVersionModel[] }> {
    return { versions: await this.history.history(id) };
  }
}
