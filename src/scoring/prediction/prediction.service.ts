import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { FeatureViewResolver } from '../../features/registry/feature-view-resolver';
import { MetricsService } from '../../observability/metrics/metrics.service';
import { AccessGate } from '../../governance/agreements/access-gate';
import type { Principal } from '../../governance/auth/principal';
import type { ResolvedFeatureView } from '../../features/registry/resolved-feature-view';
import { parseFeatureRef } from '../../features/registry/resolved-feature-view';
import { OnlineServingService } from '../../features/serving/online-serving.service';
import { entityBucket, inCanary } from '../deployments/canary-hash';
import type { PredictRoute } from '../deployments/deployment';
import { DeploymentService } from '../deployments/deployment.service';
import { PREDICTION_LOG_SINK, type PredictionLogEntry, type PredictionLogSink } from '../prediction-log/prediction-log-entry';
import type { ModelVersionView } from '../registry/model-version';
import { ModelRegistryService } from '../registry/model-registry.service';
import type { ScoringProblem } from '../scoring-error';
import type { OnlineColumns } from './feature-assembly';
import { ModelSessionCache } from './model-session.cache';
import { checkEntityColumns, invalidRequest, type PredictRequest } from './predict-request';
import type { PredictionResult, PredictionRow } from './prediction';
import { checkRequestColumn } from './request-features';
import { scoreVersion, type VersionScore } from './score-version';
import { type ShadowContext, ShadowScorer } from './shadow-scorer';

/** Rows of one answering version: which request rows, and what scoring them gave. */
interface Scored extends VersionScore {
  role: 'production' | 'canary';
}

/**
 * Prediction: routes each entity row to the production or canary version, reads every feature the
 * involved versions need in one online-store round trip, applies each version's onMissing rule, runs
 * the cached ONNX sessions, answers, and only then scores shadows and hands rows to the prediction log.
 */
@Injectable()
export class PredictionService {
  private readonly logger = new Logger('Prediction');
  private readonly versions = new Map<string, Promise<ModelVersionView>>();

  constructor(
    private readonly registry: ModelRegistryService,
    private readonly deployments: DeploymentService,
    private readonly serving: OnlineServingService,
    private readonly views: FeatureViewResolver,
    private readonly sessions: ModelSessionCache,
    private readonly shadows: ShadowScorer,
    @Optional() @Inject(PREDICTION_LOG_SINK) private readonly sink?: PredictionLogSink,
    @Optional() private readonly metrics?: MetricsService,
    @Optional() private readonly gate?: AccessGate,
  ) {}

  /**
   * `caller`: whose access agreements (or the model's own, consumer `<model name>`) cover the ports
   * read. The model scores clear values; personal features in the answer's rows are masked when the
   * agreement grants no PII access.
   */
  async predict(name: string, req: PredictRequest, caller?: Principal): Promise<PredictionResult> {
    const [answer] = await this.predictBatch(name, [{ req, caller }]);
    if (answer instanceof Error) throw answer;
    return answer;
  }

  /**
   * Several requests for one model scored together (model-on-demand workers, ADR 0027): one route, one
   * online read and one ONNX run per answering version for all of them. Each request is checked (and
   * its caller's access) on its own: a bad one gets its error in its slot, the others are answered.
   * Failures of the stores or the model are thrown for the whole batch (they are not the caller's).
   */
  async predictBatch(name: string, items: PredictItem[]): Promise<(PredictionResult | Error)[]> {
    const started = performance.now();
    const route = await this.deployments.route(name);
    const [production, canary, shadows] = await Promise.all([
      this.version(name, route.production),
      route.canary ? this.version(name, route.canary.version) : null,
      Promise.all(route.shadows.map((v) => this.version(name, v))),
    ]);
    const answering = canary ? [production, canary] : [production];
    const joinKeys = new Set((await Promise.all(answering.map((v) => this.joinKeys(v)))).flatMap((s) => [...s]));
    const answers = new Array<PredictionResult | Error>(items.length);
    const accepted: { index: number; rows: number; masks: Map<string, Set<string>> | null }[] = [];
    const masksByCaller = new Map<string, Promise<Map<string, Set<string>>>>();
    for (const [index, { req, caller }] of items.entries()) {
      try {
        const rows = checkEntityColumns(req.entities, joinKeys, name);
        this.checkRequestFeatures(req.requestFeatures, answering, [...answering, ...shadows], rows);
        let masks: Map<string, Set<string>> | null = null;
        if (caller && this.gate) {
          const gate = this.gate;
          let m = masksByCaller.get(caller.id);
          if (!m) masksByCaller.set(caller.id, (m = this.viewsOf(answering).then((views) => gate.check(caller, views, [name]))));
          masks = await m;
        }
        accepted.push({ index, rows, masks });
      } catch (err) {
        answers[index] = err as Error;
      }
    }
    if (accepted.length === 0) return answers;

    // The accepted requests' rows, one after the other, as one request: valid requests carry exactly
    // the answering versions' join keys. A request input only some requests carry (a shadow's own)
    // is left out, so those shadows log the batch's rows as rejected.
    const entities = concatColumns(accepted.map((a) => items[a.index].req.entities));
    const requestFeatures = concatColumns(accepted.map((a) => items[a.index].req.requestFeatures));
    const rows = accepted.reduce((n, a) => n + a.rows, 0);
    const requestIds = accepted.map((a) => items[a.index].requestId ?? randomUUID());
    const rowRequestIds = accepted.flatMap((a, k) => new Array<string>(a.rows).fill(requestIds[k]));

    const canaryRows = this.canaryRows(route, entities, rows);
    const columns = Object.keys(entities);
    const readable: ModelVersionView[] = [];
    for (const s of shadows) if ([...(await this.joinKeys(s))].every((k) => columns.includes(k))) readable.push(s);
    const online = await this.readOnline([...answering, ...readable], entities);

    const groups: { version: ModelVersionView; role: 'production' | 'canary'; rowIndexes: number[] }[] = [];
    const prodRows: number[] = [];
    const canRows: number[] = [];
    for (let i = 0; i < rows; i++) (canaryRows?.[i] ? canRows : prodRows).push(i);
    if (prodRows.length > 0) groups.push({ version: production, role: 'production', rowIndexes: prodRows });
    if (canary && canRows.length > 0) groups.push({ version: canary, role: 'canary', rowIndexes: canRows });
    const scored = await Promise.all(groups.map((g) => this.score(g.version, g.role, g.rowIndexes, online, requestFeatures)));

    const all = this.answer(name, production, scored, rows);
    let offset = 0;
    accepted.forEach((a, k) => {
      const result = sliceAnswer(all, production.version, requestIds[k], offset, a.rows);
      if (a.masks && a.masks.size > 0) maskRows(result, a.masks, this.gate!);
      answers[a.index] = result;
      offset += a.rows;
    });
    const latencyMs = performance.now() - started;
    this.count(name, scored, latencyMs);
    if (this.sink) {
      const sink = this.sink;
      const context: ShadowContext = { requestId: requestIds[0], rowRequestIds, entities, requestFeatures, rows, online, started };
      // Off the answer path: the caller has its answer before shadows run or entries are built.
      setImmediate(() => {
        try {
          sink.record(logEntries(rowRequestIds, scored, entities, latencyMs));
        } catch (err) {
          this.logger.warn(`prediction log refused entries of ${name}: ${String(err)}`);
        }
        if (shadows.length > 0) this.shadows.score(shadows, readable, context, sink);
      });
    }
    return answers;
  }

  private async viewsOf(versions: ModelVersionView[]): Promise<ResolvedFeatureView[]> {
    const names = [...new Set(versions.flatMap((v) => v.features.map((f) => parseFeatureRef(f.ref)?.view).filter((n): n is string => !!n)))];
    return Promise.all(names.map((n) => this.views.view(n)));
  }

  /** Rows scored or rejected per answering version, and the call's latency per version. */
  private count(name: string, scored: Scored[], latencyMs: number): void {
    if (!this.metrics) return;
    for (const s of scored) {
      const rejected = s.rowIndexes.length - s.accepted.length;
      const labels = { model: name, version: s.version.version, role: s.role };
      if (s.accepted.length > 0) this.metrics.predictions.inc({ ...labels, outcome: 'scored' }, s.accepted.length);
      if (rejected > 0) this.metrics.predictions.inc({ ...labels, outcome: 'rejected' }, rejected);
      this.metrics.modelLatency.observe({ model: name, version: s.version.version }, latencyMs / 1000);
    }
  }

  score(version: ModelVersionView, role: Scored['role'], rowIndexes: number[], online: OnlineColumns, requestFeatures: Record<string, unknown[]>): Promise<Scored> {
    return scoreVersion(this.sessions, version, rowIndexes, online, requestFeatures).then((s) => ({ ...s, role }));
  }

  /** Every feature of the given versions in one getOnlineFeatures call (one store round trip). */
  async readOnline(versions: ModelVersionView[], entities: Record<string, unknown[]>): Promise<OnlineColumns> {
    const refs = [...new Set(versions.flatMap((v) => v.features.map((f) => f.ref)))];
    // Scoring reads values and statuses only: the event timestamps are not formatted.
    const res = await this.serving.getOnlineFeatures({ features: refs, entities, fullFeatureNames: true }, undefined, undefined, { withoutTimestamps: true });
    const offset = Object.keys(entities).length;
    const byRef = new Map(refs.map((r, i) => [r, res.results[offset + i]]));
    return { get: (ref) => byRef.get(ref) };
  }

  /** A registered version, cached forever: versions are immutable (their stage is not used here). */
  version(name: string, version: string): Promise<ModelVersionView> {
    const key = `${name}@${version}`;
    let p = this.versions.get(key);
    if (!p) {
      p = this.registry.get(name, version);
      this.versions.set(key, p);
      p.catch(() => this.versions.delete(key));
    }
    return p;
  }

  async joinKeys(v: ModelVersionView): Promise<Set<string>> {
    const viewNames = [...new Set(v.features.map((f) => parseFeatureRef(f.ref)?.view).filter((n): n is string => !!n))];
    const views = await Promise.all(viewNames.map((n) => this.views.view(n)));
    return new Set(views.flatMap((view) => view.joinKeys.map((k) => k.name)));
  }

  /** Answering versions need their request inputs, well typed; a name no involved version declares is refused. */
  private checkRequestFeatures(given: Record<string, unknown[]>, answering: ModelVersionView[], involved: ModelVersionView[], rows: number): void {
    const problems: ScoringProblem[] = [];
    const declared = new Set(involved.flatMap((v) => v.requestInputs.map((r) => r.name)));
    for (const n of Object.keys(given)) {
      if (!declared.has(n)) problems.push({ field: `request_features.${n}`, reason: `not a request input of model ${answering[0].name} (${declared.size ? [...declared].join(', ') : 'it takes none'})` });
    }
    const checked = new Set<string>();
    for (const v of answering) {
      for (const decl of v.requestInputs) {
        const key = JSON.stringify([decl.name, decl.type, decl.shape]);
        if (checked.has(key)) continue;
        checked.add(key);
        if (!Object.hasOwn(given, decl.name))
          problems.push({ field: `request_features.${decl.name}`, reason: `missing: ${v.name} ${v.version} takes ${decl.name} (${decl.type} [${(decl.shape ?? []).join(', ')}])` });
        else problems.push(...checkRequestColumn(decl, given[decl.name], rows));
      }
    }
    if (problems.length > 0) throw invalidRequest(problems);
  }

  /** Which rows the canary answers: a sticky hash of each row's join-key values (ADR 0011). */
  private canaryRows(route: PredictRoute, entities: Record<string, unknown[]>, rows: number): boolean[] | null {
    if (!route.canary || route.canary.percent <= 0) return null;
    const keys = Object.keys(entities);
    const out = new Array<boolean>(rows);
    for (let i = 0; i < rows; i++)
      out[i] = inCanary(
        entityBucket(
          route.name,
          keys.map((k) => [k, entities[k][i]] as const),
        ),
        route.canary.percent,
      );
    return out;
  }

  private answer(name: string, production: ModelVersionView, scored: Scored[], rows: number): PredictionResult {
    const outputNames = [...new Set(scored.flatMap((s) => s.version.outputs.map((o) => o.name)))];
    const outputs: Record<string, unknown[]> = Object.fromEntries(outputNames.map((n) => [n, new Array<unknown>(rows).fill(null)]));
    const resultRows = new Array<PredictionRow>(rows);
    for (const s of scored) {
      s.rowIndexes.forEach((rowIndex, k) => {
        const a = s.assembled[k];
        resultRows[rowIndex] = { version: s.version.version, role: s.role, features: a.features, statuses: a.statuses, ...(a.rejected ? { rejected: a.rejected } : {}) };
      });
      s.accepted.forEach((rowIndex, k) => {
        for (const [n, values] of Object.entries(s.outputs)) if (outputs[n]) outputs[n][rowIndex] = values[k];
      });
    }
    const version = scored.length === 1 ? scored[0].version.version : production.version;
    return { requestId: randomUUID(), model: { name, version }, outputs, rows: resultRows };
  }
}

/** One request of a batch: its body, its caller, and the request id its answer carries (else a new UUID). */
export interface PredictItem {
  req: PredictRequest;
  caller?: Principal;
  requestId?: string;
}

/** Columns of several requests, rows concatenated; a column some request lacks is left out. */
function concatColumns(parts: Record<string, unknown[]>[]): Record<string, unknown[]> {
  if (parts.length === 1) return parts[0];
  const names = Object.keys(parts[0]).filter((n) => parts.every((p) => Object.hasOwn(p, n)));
  return Object.fromEntries(names.map((n) => [n, parts.flatMap((p) => p[n])]));
}

/** The answer of one request of a batch: its rows `[offset, offset + rows)` of the batch's answer. */
function sliceAnswer(all: PredictionResult, productionVersion: string, requestId: string, offset: number, rows: number): PredictionResult {
  const resultRows = all.rows.slice(offset, offset + rows);
  const versions = new Set(resultRows.map((r) => r.version));
  const version = versions.size === 1 ? resultRows[0].version : productionVersion;
  const outputs = Object.fromEntries(Object.entries(all.outputs).map(([n, v]) => [n, v.slice(offset, offset + rows)]));
  return { requestId, model: { name: all.model.name, version }, outputs, rows: resultRows };
}

/** Personal feature values of the answer's rows become their tokens (the model saw clear values). */
function maskRows(result: PredictionResult, masks: Map<string, Set<string>>, gate: AccessGate): void {
  for (const row of result.rows) {
    for (const ref of Object.keys(row.features)) {
      const r = parseFeatureRef(ref);
      if (r && masks.get(r.view)?.has(r.feature)) (row.features as Record<string, unknown>)[ref] = gate.masker.mask(row.features[ref]);
    }
  }
}

/** Log entries of the answered rows (production and canary). */
function logEntries(requestIds: string[], scored: Scored[], entities: Record<string, unknown[]>, latencyMs: number): PredictionLogEntry[] {
  const at = new Date();
  const keys = Object.keys(entities);
  const entries: PredictionLogEntry[] = [];
  for (const s of scored) {
    const position = new Map(s.accepted.map((r, k) => [r, k]));
    s.rowIndexes.forEach((rowIndex, k) => {
      const a = s.assembled[k];
      const scoredAt = position.get(rowIndex);
      const outputs = scoredAt === undefined ? {} : Object.fromEntries(Object.entries(s.outputs).map(([n, v]) => [n, v[scoredAt]]));
      entries.push({
        requestId: requestIds[rowIndex],
        model: s.version.name,
        version: s.version.version,
        role: s.role,
        entity: Object.fromEntries(keys.map((key) => [key, entities[key][rowIndex]])),
        features: a.features,
        statuses: a.statuses,
        outputs,
        ...(a.rejected ? { rejected: a.rejected } : {}),
        latencyMs,
        at,
      });
    });
  }
  return entries;
}
