import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TesseraConfig } from '../../../config/tessera-config';
import { FeatureRegistryQuery } from '../../../features/registry/feature-registry.query';
import { OfflineTablesQuery } from '../../../features/offline/offline-tables.query';
import { buildLogisticRegressionOnnx } from '../../onnx/logistic-regression-onnx';
import type { RegistrationScope } from '../../registry/model-registry.service';
import { ModelRegistryService } from '../../registry/model-registry.service';
import { ScoringError, ScoringErrorCode, type ScoringProblem } from '../../scoring-error';
import { DomainSite, type SiteTable } from './domain-site';
import { TooFewRowsError, trainFederated } from './federated-protocol';
import type { FederatedTrainingRequest, FederatedTrainingResult } from './federated-training';

const NUMERIC = new Set(['integer', 'number', 'boolean']);
export const FEDERATED_PROTOCOL = 'tessera.federated-logistic-regression/v1';

/**
 * Federated logistic regression (ADR 0033): each participant's port table is read only by SQL
 * aggregates run as its domain's role; this coordinator takes the weighted steps and registers the
 * fitted model, its card listing the participating domains and their row counts.
 */
@Injectable()
export class FederatedTrainingService {
  constructor(
    private readonly ds: DataSource,
    private readonly features: FeatureRegistryQuery,
    private readonly tables: OfflineTablesQuery,
    private readonly registry: ModelRegistryService,
    private readonly config: TesseraConfig,
  ) {}

  async train(req: FederatedTrainingRequest, registeredBy: string, authorize?: (scope: RegistrationScope) => void): Promise<FederatedTrainingResult> {
    const { refs, sites } = await this.plan(req);
    // Every participating domain must be one the caller may register models in (a domain takes part
    // through someone holding a role there), checked before any round runs, and again with the
    // model's own domain at registration.
    const siteDomains = [...new Set(sites.map((s) => s.table.domain))].sort();
    authorize?.({ name: req.name, domains: siteDomains, unowned: false });
    const fit = await trainFederated(
      sites.map((s) => new DomainSite(this.ds, s.table)),
      refs.length,
      { ...req, minRowsPerSite: this.config.federatedMinRows },
    ).catch((err: unknown) => {
      if (!(err instanceof TooFewRowsError)) throw err;
      throw invalid(
        err.sites.map((s) => ({ field: `participants[${s.index}]`, reason: `${s.domain}: ${s.rows} usable rows, fewer than ${err.minRows} (TESSERA_FEDERATED_MIN_ROWS): its aggregates would reveal its rows` })),
      );
    });
    const participants = sites.map((s, i) => ({ domain: s.table.domain, product: s.product, port: s.port, rows: fit.rows[i].rows }));
    const rows = participants.reduce((n, p) => n + p.rows, 0);
    const finalLogLoss = fit.lossHistory[fit.lossHistory.length - 1];
    const bytes = buildLogisticRegressionOnnx({
      featureCount: refs.length,
      weights: fit.params.weights,
      bias: fit.params.bias,
      featureNames: refs,
      docString: `${FEDERATED_PROTOCOL}: ${participants.map((p) => `${p.domain} ${p.rows}`).join(', ')}`,
    });
    const doc = {
      apiVersion: 'tessera/v1',
      kind: 'Model',
      name: req.name,
      version: req.version,
      featureService: req.featureService,
      description: req.description ?? `Logistic regression trained federated over ${participants.length} data product(s) of ${new Set(participants.map((p) => p.domain)).size} domain(s).`,
      tags: ['federated'],
      modelCard: {
        intendedUse: 'Trained without moving rows: only counts, sums and gradient sums left each domain.',
        metrics: { train_log_loss: finalLogLoss, rows },
        training: { protocol: FEDERATED_PROTOCOL, label: req.label, epochs: req.epochs, learningRate: req.learningRate, l2: req.l2, participants },
      },
    };
    const result = await this.registry.register(doc, bytes, {
      registeredBy,
      authorize: authorize && ((scope) => authorize({ ...scope, domains: [...new Set([...scope.domains, ...siteDomains])].sort() })),
    });
    const m = result.model;
    return {
      action: result.action,
      model: { name: m.name, version: m.version, sha256: m.sha256, domain: m.domain },
      participants,
      rows,
      epochs: req.epochs,
      finalLogLoss,
      weights: fit.params.weights,
      bias: fit.params.bias,
    };
  }

  /** The feature order and each participant's table, or INVALID_TRAINING_REQUEST naming every problem. */
  private async plan(req: FederatedTrainingRequest): Promise<{ refs: string[]; sites: { product: string; port: string; table: SiteTable }[] }> {
    const problems: ScoringProblem[] = [];
    const service = await this.features.featureService(this.ds.manager, req.featureService);
    if (!service) throw invalid([{ field: 'featureService', reason: `feature service ${req.featureService} is not registered` }]);
    const refs = service.features.map((f) => f.ref);
    const names = service.features.map((f) => f.feature);
    const sites: { product: string; port: string; table: SiteTable }[] = [];
    for (const [i, p] of req.participants.entries()) {
      const table = (await this.tables.newest(p.product)).find((t) => t.port === p.port);
      if (!table) {
        problems.push({ field: `participants[${i}].port`, reason: `data product ${p.product} has no stored table for port ${p.port}` });
        continue;
      }
      const byName = new Map(table.columns.map((c) => [c.name, c]));
      const column = (name: string, field: string) => {
        const c = byName.get(name);
        if (!c) problems.push({ field, reason: `port ${p.product}/${p.port} has no column ${name}` });
        else if (!NUMERIC.has(c.logicalType)) problems.push({ field, reason: `column ${name} of ${p.product}/${p.port} is ${c.logicalType}; integer, number or boolean needed` });
        else return { name: c.name, logicalType: c.logicalType };
        return null;
      };
      const features = names.map((n, j) => column(n, `participants[${i}] (feature ${refs[j]})`));
      const label = column(req.label, 'label');
      if (features.every((f) => f !== null) && label) sites.push({ product: p.product, port: p.port, table: { domain: table.domain, schema: table.schema, table: table.table, features, label } });
    }
    if (problems.length > 0) throw invalid(problems);
    return { refs, sites };
  }
}

function invalid(problems: ScoringProblem[]): ScoringError {
  return new ScoringError(ScoringErrorCode.INVALID_TRAINING_REQUEST, `federated training refused, nothing trained: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, problems);
}
