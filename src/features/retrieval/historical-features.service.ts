import { Injectable, Optional } from '@nestjs/common';
import { AccessGate } from '../../governance/agreements/access-gate';
import type { Principal } from '../../governance/auth/principal';
import { DataSource } from 'typeorm';
import { ReadRouter } from '../../common/database/read-router';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { FeatureViewResolver } from '../registry/feature-view-resolver';
import { FeatureRef, parseFeatureRef, ResolvedFeatureView } from '../registry/resolved-feature-view';
import { HistoricalFeaturesBody, MAX_ARROW_ROWS } from './historical-features.input';
import { invalid } from './pit-entity-frame';
import type { PitColumns, PitRequest, RequestedFeature } from './pit-request';
import { PointInTimeEngine, PreparedRetrieval } from './point-in-time.engine';

/**
 * Historical (training-set) retrieval for REST and GraphQL: registry names to resolved views, the row
 * cap of the answer format, then the point-in-time engine.
 */
@Injectable()
export class HistoricalFeaturesService {
  private readonly engine: PointInTimeEngine;
  private replicaEngine?: { dataSource: DataSource; engine: PointInTimeEngine };

  constructor(
    private readonly dataSource: DataSource,
    private readonly views: FeatureViewResolver,
    @Optional() private readonly gate?: AccessGate,
    @Optional() private readonly reads?: ReadRouter,
  ) {
    this.engine = new PointInTimeEngine(dataSource);
  }

  /**
   * The whole answer as JSON columns (at most `maxRows` entity rows). A heavy read: on the read replica
   * when one is configured and current (ADR 0031), again on the primary if the replica fails it.
   */
  async columns(body: HistoricalFeaturesBody, maxRows: number, format: string, caller?: Principal): Promise<PitColumns> {
    const request = await this.resolve(body, maxRows, format, caller);
    if (!this.reads || masked(request)) return this.engine.toColumns(await this.engine.prepare(request));
    return this.reads.read(async (ds) => {
      const engine = this.engineOn(ds);
      return engine.toColumns(await engine.prepare(request));
    });
  }

  /**
   * Validates everything up front (so errors still answer as JSON with a status), then returns the
   * Arrow IPC byte stream; the database work starts when the stream is first read. Routed once, here:
   * a stream already sent cannot move to another server.
   */
  async arrow(body: HistoricalFeaturesBody, caller?: Principal): Promise<AsyncGenerator<Uint8Array>> {
    const request = await this.resolve(body, MAX_ARROW_ROWS, 'Arrow', caller);
    const engine = !this.reads || masked(request) ? this.engine : this.engineOn((await this.reads.route()).dataSource);
    return engine.arrow(await engine.prepare(request));
  }

  /**
   * The engine for a server: the primary's, or one for the replica that inlines the entity rows
   * (a hot standby allows no temp table). Masked features need the pads' temp table, so masked
   * retrievals stay on the primary (see `masked`).
   */
  private engineOn(ds: DataSource): PointInTimeEngine {
    if (ds === this.dataSource) return this.engine;
    if (this.replicaEngine?.dataSource !== ds) this.replicaEngine = { dataSource: ds, engine: new PointInTimeEngine(ds, { inline: true }) };
    return this.replicaEngine.engine;
  }

  /** Resolves and validates a request (row cap included) without running it; training datasets reuse it. */
  /**
   * `caller`: the ports read are checked against their access agreements, and personal features of
   * ports read without PII access come back as HMAC tokens computed in the query.
   */
  async prepare(body: HistoricalFeaturesBody, maxRows: number, format: string, caller?: Principal, entitiesFrom?: PitRequest['entitiesFrom'], staged?: PitRequest['staged']): Promise<PreparedRetrieval> {
    const prepared = await this.engine.prepare({ ...(await this.resolve(body, maxRows, format, caller, entitiesFrom)), staged });
    if (prepared.frame.rowCount > maxRows) {
      throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `entities_from selects ${prepared.frame.rowCount} rows; ${format} results are limited to ${maxRows} rows`, {
        field: 'entities_from',
        reason: `at most ${maxRows} rows`,
      });
    }
    return prepared;
  }

  /** Registry names to views (masked where the caller may not read personal data) and the row cap of the given entities. */
  private async resolve(body: HistoricalFeaturesBody, maxRows: number, format: string, caller?: Principal, entitiesFrom?: PitRequest['entitiesFrom']): Promise<PitRequest> {
    const rows = Math.max(0, ...Object.values(body.entities).map((c) => c.length));
    if (rows > maxRows) {
      const hint = format === 'Arrow' ? '' : ` (Accept: application/vnd.apache.arrow.stream streams up to ${MAX_ARROW_ROWS.toLocaleString('en')} rows)`;
      throw new FeaturesError(FeaturesErrorCode.TOO_MANY_ROWS, `entities has ${rows} rows; ${format} answers are limited to ${maxRows} rows${hint}`, {
        field: 'entities',
        reason: `at most ${maxRows} rows`,
      });
    }
    const refs = body.feature_service !== undefined ? await this.views.featureService(body.feature_service) : parseRefs(body.features ?? []);
    const views = new Map<string, ResolvedFeatureView>();
    for (const ref of refs) if (!views.has(ref.view)) views.set(ref.view, await this.views.view(ref.view));
    const masks = caller && this.gate ? await this.gate.check(caller, [...views.values()]) : null;
    if (masks) for (const [name, masked] of masks) views.set(name, maskedView(views.get(name)!, masked, this.gate!));
    const features: RequestedFeature[] = refs.map((ref) => ({ view: views.get(ref.view)!, feature: ref.feature }));
    return { entities: body.entities, entitiesFrom, features, fullFeatureNames: body.full_feature_names };
  }
}

/** Whether any feature is read as a pseudonym (its HMAC pads live in a temp table: primary only). */
function masked(request: PitRequest): boolean {
  return request.features.some((f) => f.view.features.some((x) => x.mask !== undefined));
}

/** A copy of the view whose personal features are read as pseudonyms (strings). */
function maskedView(view: ResolvedFeatureView, masked: Set<string>, gate: AccessGate): ResolvedFeatureView {
  return { ...view, features: view.features.map((f) => (masked.has(f.name) ? { ...f, type: 'string' as const, mask: gate.masker } : f)) };
}

function parseRefs(texts: string[]): FeatureRef[] {
  const bad = texts.map((t, i) => ({ t, i })).filter(({ t }) => parseFeatureRef(t) === null);
  if (bad.length) {
    throw invalid(
      `invalid feature reference ${bad.map(({ t }) => JSON.stringify(t)).join(', ')}: expected view:feature`,
      bad.map(({ t, i }) => ({ field: `features.${i}`, reason: `${JSON.stringify(t)} is not a view:feature reference` })),
    );
  }
  return texts.map((t) => parseFeatureRef(t)!);
}
