import { Inject, Injectable, Optional } from '@nestjs/common';
import { PortEvents } from '../../common/events/port-events';
import { AccessGate } from '../../governance/agreements/access-gate';
import type { Principal } from '../../governance/auth/principal';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { InvalidKeyValueError } from '../online/entity-key-codec';
import { ONLINE_STORE } from '../online/online-store';
import { RawJson } from '../online/online-value-codec';
import type { OnlineStore } from '../online/online-store';
import { FeatureViewResolver } from '../registry/feature-view-resolver';
import { FeatureRef, parseFeatureRef, ResolvedFeatureView } from '../registry/resolved-feature-view';
import { writeOnlineAnswer } from './online-answer-bytes';
import { emptyColumn, feastTimestamp, fillCell, NOT_FOUND_TS } from './online-feature-values';
import { planRequest, RequestPlan } from './serving-plan';
import { MAX_ENTITY_ROWS, OnlineFeatureColumn, OnlineFeaturesRequest, OnlineFeaturesResponse } from './serving-request';

export type ServingViewSource = Pick<FeatureViewResolver, 'view' | 'featureService'> & { readonly generation?: number };

type ServingAccess = {
  consumers?: string[];
  unmasked?: boolean;
  rawNumbers?: boolean;
  bytes?: boolean;
  /** The caller reads no event timestamps (scoring): they are not formatted, every one reads NOT_FOUND_TS. */
  withoutTimestamps?: boolean;
};

interface CachedPlan {
  plan: RequestPlan;
  views: ResolvedFeatureView[];
  /** The resolver's generation the views were checked at. */
  generation?: number;
}

/** Distinct feature lists whose plans are kept (oldest dropped first). */
const PLAN_CACHE_SIZE = 256;

/**
 * Online feature retrieval (Feast's get-online-features): validates the request, reads every view's
 * entities in one store round trip, and answers Feast's column-major shape with per-value statuses.
 */
@Injectable()
export class OnlineServingService {
  private readonly plans = new Map<string, CachedPlan>();
  /** The last feature list planned and its entry: a client repeating its list skips building the signature. */
  private last: { features: string[]; fullFeatureNames: boolean; entry: CachedPlan } | undefined;

  constructor(
    @Inject(FeatureViewResolver) private readonly views: ServingViewSource,
    @Inject(ONLINE_STORE) private readonly store: OnlineStore,
    @Optional() private readonly events?: PortEvents,
    @Optional() private readonly gate?: AccessGate,
  ) {}

  /**
   * `caller`: whose access agreements the read is checked against (ports without one: 403; personal
   * features without PII access: masked). Absent only for in-process reads that checked already.
   * `unmasked`: leave personal values in clear (the prediction path feeds them to the model and masks its answer).
   * `rawNumbers`: stored numbers may come back as RawJson, for a caller that only encodes the answer as JSON (the REST route).
   * `withoutTimestamps`: the caller reads no event timestamps (scoring): they are left unformatted.
   */
  getOnlineFeatures(req: OnlineFeaturesRequest, now: Date = new Date(), caller?: Principal, access: Omit<ServingAccess, 'bytes'> = {}): Promise<OnlineFeaturesResponse> {
    return this.answer(req, now, caller, access) as Promise<OnlineFeaturesResponse>;
  }

  /**
   * The online route's answer: its JSON bytes written straight from the store's bytes when the store
   * keeps them and nothing is to be masked (online-answer-bytes.ts, issue 16); else the object
   * getOnlineFeatures answers (stored numbers as RawJson), for the route's encoder.
   */
  getOnlineFeaturesJson(req: OnlineFeaturesRequest, now: Date, caller: Principal): Promise<Buffer | OnlineFeaturesResponse> {
    return this.answer(req, now, caller, { rawNumbers: true, bytes: true });
  }

  private answer(req: OnlineFeaturesRequest, now: Date, caller: Principal | undefined, access: ServingAccess): Promise<OnlineFeaturesResponse | Buffer> {
    // A busy caller's plan and agreements are cached: then both steps answer in this turn and the
    // request's only promise is the store's read (each promise costs, more so with async hooks on).
    const planned = this.plan(req);
    if (planned instanceof Promise) return planned.then((p) => this.checkedRead(req, p, now, caller, access));
    return this.checkedRead(req, planned, now, caller, access);
  }

  private checkedRead(req: OnlineFeaturesRequest, { plan, views }: CachedPlan, now: Date, caller: Principal | undefined, access: ServingAccess): Promise<OnlineFeaturesResponse | Buffer> {
    let masks;
    try {
      masks = caller && this.gate ? this.gate.check(caller, views, access.consumers) : null;
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    if (masks instanceof Promise) return masks.then((m) => this.read(req, plan, m, now, access));
    return this.read(req, plan, masks, now, access);
  }

  private async read(req: OnlineFeaturesRequest, plan: RequestPlan, masks: Map<string, Set<string>> | null, now: Date, access: ServingAccess): Promise<OnlineFeaturesResponse | Buffer> {
    const rows = checkEntities(req.entities, plan.joinKeys);

    const entityColumns = Object.keys(req.entities);
    const requests = plan.reads.map((r) => {
      const keyColumns = r.plan.joinKeyNames.map((k) => req.entities[k]);
      const entityKeys = new Array<unknown[]>(rows);
      for (let i = 0; i < rows; i++) entityKeys[i] = keyColumns.map((c) => c[i]);
      return { view: r.plan.view, featureIndexes: r.featureIndexes, entityKeys, rawNumbers: access.rawNumbers };
    });
    const store = this.store;
    const asBytes = access.bytes === true && store.readBytes !== undefined && store.decodeBytes !== undefined && !(masks && masks.size > 0 && !access.unmasked);
    let entries;
    let bytes: (Buffer | null)[][] | undefined;
    // Availability SLOs count reads of each source table; only server-side failures count against them.
    const tables = this.events ? plan.tables : [];
    try {
      if (asBytes) bytes = await store.readBytes!(requests);
      else entries = await store.read(requests);
    } catch (err) {
      if (err instanceof InvalidKeyValueError) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, err.message, { joinKey: err.key });
      this.events?.tablesRead({ tables, ok: false });
      throw err;
    }
    this.events?.tablesRead({ tables, ok: true });

    const nowMs = now.getTime();
    if (bytes) {
      const answer = writeOnlineAnswer(plan, req.entities, rows, bytes, nowMs);
      if (answer) return answer;
      entries = store.decodeBytes!(requests, bytes); // a string or tagged value among them: the object path
    }
    entries = entries!;
    const featureColumns = plan.featureNames.map(() => emptyColumn(rows));
    plan.reads.forEach((read, v) => {
      const viewEntries = entries[v];
      // Formatting a timestamp costs more than the rest of a cell: once per entity, not per feature.
      const stamps = access.withoutTimestamps ? null : viewEntries.map((e) => (e ? feastTimestamp(e.eventTs) : NOT_FOUND_TS));
      read.outputColumns.forEach((out, j) => {
        const col = featureColumns[out];
        for (let i = 0; i < rows; i++) fillCell(col, i, viewEntries[i], j, read.plan.ttlMs, nowMs, stamps ? stamps[i] : NOT_FOUND_TS);
      });
    });
    if (masks && masks.size > 0 && !access.unmasked) this.mask(plan.reads, featureColumns, masks);
    const keyColumns: OnlineFeatureColumn[] = entityColumns.map((k) => ({
      values: req.entities[k],
      statuses: new Array(rows).fill('PRESENT'),
      event_timestamps: new Array(rows).fill(NOT_FOUND_TS),
    }));
    return { metadata: { feature_names: [...entityColumns, ...plan.featureNames] }, results: [...keyColumns, ...featureColumns] };
  }

  /**
   * The request's plan. Clients send the same feature lists again and again, so a list's parsed refs and
   * plan are kept, and reused while every view it names still resolves to the very object it was built
   * from (the resolver replaces a view object when an apply changes it).
   */
  private plan(req: OnlineFeaturesRequest): CachedPlan | Promise<CachedPlan> {
    // Read before any await: a plan checked against this generation is stale once an apply bumps it.
    const generation = this.views.generation;
    const byList = req.features !== undefined && req.featureService === undefined;
    let cached = byList ? this.lastFor(req.features!, req.fullFeatureNames) : undefined;
    const signature = byList && !cached ? `${req.fullFeatureNames ? 1 : 0}${req.features!.join('\u0000')}` : null;
    if (signature !== null) cached = this.plans.get(signature);
    if (cached && generation !== undefined && cached.generation === generation) return this.remember(req, cached);
    return this.planAfresh(req, generation, byList, signature, cached);
  }

  /** The plan when the cache cannot answer in this turn: a cached plan re-checked against the resolver, or a new one. */
  private async planAfresh(req: OnlineFeaturesRequest, generation: number | undefined, byList: boolean, signature: string | null, cached: CachedPlan | undefined): Promise<CachedPlan> {
    if (cached) {
      const views = await Promise.all(cached.views.map((v) => this.views.view(v.name)));
      if (views.every((v, i) => v === cached.views[i])) {
        cached.generation = generation;
        return this.remember(req, cached);
      }
    }
    const refs = req.featureService !== undefined ? await this.views.featureService(req.featureService) : parseRefs(req.features ?? []);
    const viewNames = [...new Set(refs.map((r) => r.view))];
    const byName = new Map<string, ResolvedFeatureView>(await Promise.all(viewNames.map(async (n) => [n, await this.views.view(n)] as const)));
    const built: CachedPlan = { plan: planRequest(refs, byName, req.fullFeatureNames), views: [...byName.values()], generation };
    if (byList) {
      const key = signature ?? `${req.fullFeatureNames ? 1 : 0}${req.features!.join('\u0000')}`;
      if (this.plans.size >= PLAN_CACHE_SIZE && !this.plans.has(key)) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, built);
      this.remember(req, built);
    }
    return built;
  }

  /** The last list's entry when `features` is that very list (element by element: cheaper than joining it). */
  private lastFor(features: string[], fullFeatureNames: boolean): CachedPlan | undefined {
    const last = this.last;
    if (!last || last.fullFeatureNames !== fullFeatureNames || last.features.length !== features.length) return undefined;
    for (let i = 0; i < features.length; i++) if (last.features[i] !== features[i]) return undefined;
    return last.entry;
  }

  private remember(req: OnlineFeaturesRequest, entry: CachedPlan): CachedPlan {
    if (req.features !== undefined && req.featureService === undefined && this.last?.entry !== entry) this.last = { features: req.features.slice(), fullFeatureNames: req.fullFeatureNames, entry };
    return entry;
  }

  /** Personal values become their HMAC tokens; statuses and timestamps stay. */
  private mask(reads: ReturnType<typeof planRequest>['reads'], columns: OnlineFeatureColumn[], masks: Map<string, Set<string>>): void {
    for (const read of reads) {
      const masked = masks.get(read.plan.view.name);
      if (!masked) continue;
      read.outputColumns.forEach((out, j) => {
        if (!masked.has(read.plan.view.features[read.featureIndexes[j]].name)) return;
        const col = columns[out];
        col.values = col.values.map((v) => this.gate!.masker.mask(v instanceof RawJson ? v.toJSON() : v));
      });
    }
  }
}

function parseRefs(features: string[]): FeatureRef[] {
  return features.map((f) => {
    const ref = parseFeatureRef(f);
    if (!ref) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `feature reference ${JSON.stringify(f)} is not view:feature`, { feature: f });
    return ref;
  });
}

/** Every needed join key present, no unknown column, all columns of one length within the limit. */
function checkEntities(entities: Record<string, unknown[]>, needed: Set<string>): number {
  const columns = Object.keys(entities);
  const missing = [...needed].filter((k) => !Object.hasOwn(entities, k));
  if (missing.length > 0) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `entities: missing join key(s) ${missing.join(', ')}`, { missing });
  const unknown = columns.filter((c) => !needed.has(c));
  if (unknown.length > 0) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `entities: ${unknown.join(', ')} not a join key of the requested views (${[...needed].join(', ')})`, { unknown });
  const lengths = columns.map((c) => entities[c].length);
  const rows = lengths[0] ?? 0;
  if (lengths.some((n) => n !== rows)) {
    throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `entities: columns differ in length (${columns.map((c, i) => `${c}: ${lengths[i]}`).join(', ')})`);
  }
  if (rows > MAX_ENTITY_ROWS) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `entities: ${rows} rows, at most ${MAX_ENTITY_ROWS} per request`);
  return rows;
}
