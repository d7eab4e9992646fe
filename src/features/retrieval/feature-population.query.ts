import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { quoteIdent } from '../offline/offline-naming';
import { FeatureViewResolver } from '../registry/feature-view-resolver';
import type { FeatureValueType, ResolvedFeatureView } from '../registry/resolved-feature-view';

/** One join key of a population, in key order. */
export interface PopulationKey {
  name: string;
  type: FeatureValueType;
}

/** Entity key tuples, sorted by PostgreSQL's ordering of the key columns; each row one value per key. */
export interface Population {
  keys: PopulationKey[];
  rows: unknown[][];
}

/** SQL type a key value is compared as (a cursor value arrives as JSON). */
const KEY_CAST: Partial<Record<FeatureValueType, string>> = { integer: 'bigint', number: 'double precision', string: 'text', boolean: 'boolean', date: 'date', timestamp: 'timestamptz' };

/**
 * The feature store's answer to "which entities exist as of T" for other modules (batch scoring, ADR
 * 0035): the distinct join-key tuples of the given views' offline tables with an event timestamp at or
 * before T. All views must share one set of join keys (a population has one shape). Rows after
 * `after` (a key tuple) only, so a resumed job continues where it stopped; sorted, so the same
 * population always comes in the same order.
 */
@Injectable()
export class FeaturePopulationQuery {
  constructor(
    private readonly ds: DataSource,
    private readonly resolver: FeatureViewResolver,
  ) {}

  /** Join keys shared by the views named in `refs` (`view:feature`), or a typed error naming the views. */
  async keysOf(viewNames: readonly string[]): Promise<PopulationKey[]> {
    return sharedKeys(await this.views(viewNames));
  }

  async entitiesAsOf(viewNames: readonly string[], asOf: Date, after: readonly unknown[] | null = null): Promise<Population> {
    const views = await this.views(viewNames);
    const keys = sharedKeys(views);
    const cols = keys.map((_, i) => `k${i}`);
    const selects = views.map((v) => {
      const byName = new Map(v.joinKeys.map((k) => [k.name, k.column]));
      const picks = keys.map((k, i) => `${quoteIdent(byName.get(k.name)!)} AS k${i}`).join(', ');
      return `SELECT ${picks} FROM ${quoteIdent(v.table.schema)}.${quoteIdent(v.table.name)} WHERE ${quoteIdent(v.timestampColumn)} <= $1`;
    });
    const params: unknown[] = [asOf];
    let where = `${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')}`;
    if (after) {
      if (after.length !== keys.length) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, `cursor has ${after.length} values; the population has ${keys.length} keys`);
      params.push(JSON.stringify(after));
      const cursor = keys.map((k, i) => `($2::jsonb->>${i})::${KEY_CAST[k.type] ?? 'text'}`).join(', ');
      where += ` AND (${cols.join(', ')}) > (${cursor})`;
    }
    const sql = `SELECT DISTINCT ${cols.join(', ')} FROM (${selects.join(' UNION ALL ')}) u WHERE ${where} ORDER BY ${cols.join(', ')}`;
    const rows = await this.ds.query<Record<string, unknown>[]>(sql, params);
    return { keys, rows: rows.map((r) => cols.map((c) => keyValue(r[c]))) };
  }

  private views(names: readonly string[]): Promise<ResolvedFeatureView[]> {
    return Promise.all([...new Set(names)].map((n) => this.resolver.view(n)));
  }
}

function sharedKeys(views: ResolvedFeatureView[]): PopulationKey[] {
  if (views.length === 0) throw new FeaturesError(FeaturesErrorCode.INVALID_REQUEST, 'a population needs at least one feature view');
  const signature = (v: ResolvedFeatureView) =>
    v.joinKeys
      .map((k) => k.name)
      .sort()
      .join(',');
  const first = signature(views[0]);
  const odd = views.filter((v) => signature(v) !== first);
  if (odd.length > 0) {
    throw new FeaturesError(
      FeaturesErrorCode.INVALID_REQUEST,
      `the views ${views.map((v) => `${v.name} (${signature(v)})`).join(', ')} do not share one set of join keys, so they have no single population; list the entities to score`,
      { field: 'entities', reason: 'required: the feature views have different join keys' },
    );
  }
  return [...views[0].joinKeys].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((k) => ({ name: k.name, type: k.type }));
}

/** bigint keys come back as decimal text from pg: a number when exact, as the rest of the API answers them. */
function keyValue(v: unknown): unknown {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return v instanceof Date ? v.toISOString() : v;
}
