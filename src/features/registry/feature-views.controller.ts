import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { RegistryObjectEntity } from './registry-object.entity';
import { FeatureRegistryService } from './registry.service';

const listQuery = z.strictObject({ search: z.string().min(1).max(500).optional() });

export interface FeatureViewView {
  name: string;
  spec: Record<string, unknown>;
  contentHash: string;
  sourceFile: string | null;
  updatedAt: Date;
}

const view = (r: RegistryObjectEntity): FeatureViewView => ({ name: r.name, spec: r.normalized, contentHash: r.contentHash, sourceFile: r.sourceFile ?? null, updatedAt: r.updatedAt });

/** REST twin of GraphQL `registryObjects(kind: FeatureView)`: the feature views as applied. */
@Controller('v1/feature-views')
export class FeatureViewsController {
  constructor(private readonly registry: FeatureRegistryService) {}

  @Get()
  @ApiDoc({ tag: 'feature store', summary: 'Feature views, by name; search matches the name or any text of the document', query: listQuery })
  @Authorize('catalog.read')
  async list(@Query() query: unknown): Promise<{ featureViews: FeatureViewView[] }> {
    const q = parseBody(listQuery, query ?? {});
    return { featureViews: (await this.registry.list('FeatureView', q.search)).map(view) };
  }

  @Get(':name')
  @ApiDoc({ tag: 'feature store', summary: 'A feature view as applied', params: { name: 'feature view name' } })
  @Authorize('catalog.read')
  async get(@Param('name') name: string): Promise<FeatureViewView> {
    const row = await this.registry.find('FeatureView', name);
    if (!row) throw new FeaturesError(FeaturesErrorCode.FEATURE_VIEW_NOT_FOUND, `feature view ${name} not found`);
    return view(row);
  }
}
