import { Injectable } from '@nestjs/common';
import { CatalogFactsQuery } from '../../catalog/query/catalog-facts.query';
import { AccessGate } from '../../governance/agreements/access-gate';
import type { Principal } from '../../governance/auth/principal';
import { OfflineTablesQuery } from '../../features/offline/offline-tables.query';
import { FeatureViewResolver } from '../../features/registry/feature-view-resolver';
import { parseFeatureRef } from '../../features/registry/resolved-feature-view';
import { FeaturePopulationQuery, type PopulationKey } from '../../features/retrieval/feature-population.query';
import type { BatchScoringSettings } from '../registry/model-document';
import { ModelRegistryService } from '../registry/model-registry.service';
import type { ModelVersionView } from '../registry/model-version';
import { ScoringError, ScoringErrorCode } from '../scoring-error';
import { columnMismatches, predictionColumns, type PredictionColumn } from './predictions-contract';

/** Everything a job of one model version needs, checked: the version, its population keys, where rows go. */
export interface BatchTarget {
  version: ModelVersionView;
  settings: BatchScoringSettings;
  viewNames: string[];
  keys: PopulationKey[];
  columns: PredictionColumn[];
}

function unavailable(message: string, field = 'batchScoring'): ScoringError {
  return new ScoringError(ScoringErrorCode.BATCH_SCORING_UNAVAILABLE, message, [{ field, reason: message }]);
}

/**
 * Resolves and checks a version's batch scoring target through the owning modules' query interfaces
 * (ADR 0021): the catalog for the product's domain, the feature store for the population keys, the
 * port's offline table and the online view's source. Checked when a job is requested and again when
 * it runs (the port or view may have changed in between).
 */
@Injectable()
export class BatchScoringTargets {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly population: FeaturePopulationQuery,
    private readonly tables: OfflineTablesQuery,
    private readonly catalog: CatalogFactsQuery,
    private readonly views: FeatureViewResolver,
    private readonly gate: AccessGate,
  ) {}

  /** The version and its population keys, without the output checks (the derived contract needs no port yet). */
  async shape(name: string, version?: string): Promise<{ version: ModelVersionView; viewNames: string[]; keys: PopulationKey[] }> {
    const v = await this.registry.get(name, version);
    const viewNames = [...new Set(v.features.map((f) => parseFeatureRef(f.ref)?.view).filter((n): n is string => !!n))];
    return { version: v, viewNames, keys: await this.population.keysOf(viewNames) };
  }

  settings(v: ModelVersionView): Promise<BatchScoringSettings | null> {
    return this.registry.batchScoring(v.name, v.version);
  }

  async resolve(name: string, version?: string): Promise<BatchTarget> {
    const shape = await this.shape(name, version);
    const v = shape.version;
    const settings = await this.settings(v);
    if (!settings) throw unavailable(`model ${v.name} ${v.version} declares no batchScoring (output: { dataProduct, outputPort }) in its Model document; register a version that does`);
    if (v.requestInputs.length > 0) {
      throw unavailable(`model ${v.name} ${v.version} takes request inputs (${v.requestInputs.map((r) => r.name).join(', ')}), which a batch job has no values for`, 'requestInputs');
    }
    const { dataProduct, outputPort } = settings.output;
    const where = `${dataProduct}/${outputPort}`;
    const product = (await this.catalog.products([dataProduct])).get(dataProduct);
    if (!product) throw unavailable(`batchScoring.output: data product ${dataProduct} is not in the catalog`, 'batchScoring.output.dataProduct');
    if (v.domain && product.domain !== v.domain) {
      throw unavailable(
        `batchScoring.output: ${dataProduct} belongs to domain ${product.domain}, the model to ${v.domain}; predictions go to a port of the model's own data product`,
        'batchScoring.output.dataProduct',
      );
    }
    const table = (await this.tables.newest(dataProduct)).find((t) => t.port === outputPort);
    if (!table)
      throw unavailable(
        `batchScoring.output: ${where} is not a table port with an offline table; declare it (type: table) with the contract GET /v1/models/${v.name}/versions/${v.version}/predictions-contract derives`,
        'batchScoring.output.outputPort',
      );
    const columns = predictionColumns(v, shape.keys);
    const problems = columnMismatches(columns, table.columns);
    if (problems.length > 0) throw unavailable(`batchScoring.output: ${where} does not fit the predictions of ${v.name} ${v.version}: ${problems.join('; ')}`, 'batchScoring.output.outputPort');
    if (settings.onlineView) {
      const view = await this.views.view(settings.onlineView);
      if (!view.online || view.table.schema !== table.schema || view.table.name !== table.table) {
        throw unavailable(`batchScoring.onlineView: feature view ${view.name} must be online and read ${where}`, 'batchScoring.onlineView');
      }
    }
    await this.checkAgreements(v, shape.viewNames);
    return { ...shape, settings, columns };
  }

  /**
   * A job has no caller (a cron queues it; whoever asked may lose their rights before it runs): it reads
   * features as the model. Ports of the model's own domain need no agreement, as for its members;
   * every other port needs an approved agreement whose consumer is the model (ADR 0016), checked when
   * the job is asked for and again when it runs, so a revoked agreement stops the next run.
   * Personal features are fed to the model in clear, as `/predict` does; only outputs are written.
   */
  private async checkAgreements(v: ModelVersionView, viewNames: string[]): Promise<void> {
    const asModel: Principal = { id: `model:${v.name}`, kind: 'service', displayName: `model ${v.name}`, roles: v.domain ? [{ role: 'domain_member', domain: v.domain }] : [] };
    const views = await Promise.all(viewNames.map((n) => this.views.view(n)));
    await this.gate.check(asModel, views, [v.name]);
  }
}
