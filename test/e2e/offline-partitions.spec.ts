import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { copyText } from '../../src/features/ingest/offline-ingest.repository';
import { domainRoleName } from '../../src/features/offline/domain-roles';
import { convertToPartitioned } from '../../src/features/offline/offline-conversion';
import { createTableSql, qualified } from '../../src/features/offline/offline-ddl';
import { OfflinePartitionMaintainer } from '../../src/features/offline/offline-partition-maintainer';
import { listPartitions } from '../../src/features/offline/offline-partitions';
import { OfflineSchemaService } from '../../src/features/offline/offline-schema.service';
import type { OfflineColumn } from '../../src/features/offline/offline-table.entity';
import type { ResolvedFeatureView } from '../../src/features/registry/resolved-feature-view';
import type { EntityKey } from '../../src/features/retrieval/pit-entity-frame';
import type { FeatureOutput } from '../../src/features/retrieval/pit-output-names';
import { planSql } from '../../src/features/retrieval/pit-plan';
import { loadSourceCatalog } from '../../src/features/retrieval/pit-source-catalog';
import { pitMeshFiles } from '../support/pit-mesh';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Partitioned offline tables (issue 15, ADR 0030): created partitioned by their required event time,
 * partitions created by the ingest and ahead by the maintainer, retention by dropping partitions,
 * point-in-time probes that scan only the partitions they need, and the conversion of an existing
 * plain table (what the migration does) keeping rows, indexes and the domain role's grant.
 */
const retentionContract = `
apiVersion: v3.1.0
kind: DataContract
id: kept-events-v1
version: 1.0.0
status: active
schema:
  - name: events
    properties:
      - { name: id, logicalType: integer, required: true, primaryKey: true }
      - { name: at, logicalType: timestamp, required: true }
      - { name: v, logicalType: number }
slaProperties:
  - { property: retention, value: 365, unit: d, element: events.at }
`;

const keptProduct = `
apiVersion: v1.0.0
kind: DataProduct
id: kept
name: Kept
domain: rides
status: active
outputPorts:
  - { name: events, version: 1.0.0, type: table, contractId: kept-events-v1 }
`;

const HOURLY = { schema: 'dom_rides', name: 'pit_driver_stats__hourly__v1' };

describe('offline store: partitioned tables', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_OFFLINE_RETENTION_DROP: 'true', TESSERA_OFFLINE_PARTITIONS_AHEAD: '1' });
    const files = [...pitMeshFiles(), { path: 'contracts/rides/kept.odps.yaml', content: keptProduct }, { path: 'contracts/rides/kept/events.odcs.yaml', content: retentionContract }];
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files } });
    expect(applied.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const ingest = (path: string, rows: unknown[]) =>
    t.app.inject({ method: 'POST', url: `/v1/data-products/${path}`, headers: { 'content-type': 'application/x-ndjson' }, payload: rows.map((r) => JSON.stringify(r)).join('\n') + '\n' });
  const partitionsOf = async (table: { schema: string; name: string }): Promise<string[]> =>
    (await listPartitions(t.dataSource, { ...table, partition: { column: 'x', granularity: 'month', type: 'timestamp' } })).map((p) => `${p.from.toISOString().slice(0, 10)}..${p.to.toISOString().slice(0, 10)}`);
  const monthsAhead = (n: number): string[] => {
    const now = new Date();
    return Array.from({ length: n + 1 }, (_, i) => {
      const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
      const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i + 1, 1));
      return `${from.toISOString().slice(0, 10)}..${to.toISOString().slice(0, 10)}`;
    });
  };

  it('creates a port table partitioned by month on its required timestamp, with the current month and the next', async () => {
    const [row] = await t.dataSource.query(`SELECT c.relkind, pg_get_partkeydef(c.oid) AS key FROM pg_class c WHERE c.oid = $1::regclass`, [qualified(HOURLY)]);
    expect(row).toEqual({ relkind: 'p', key: 'RANGE (event_timestamp)' });
    const [reg] = await t.dataSource.query(`SELECT partition_column, partition_granularity FROM tessera.offline_tables WHERE table_name = $1`, [HOURLY.name]);
    expect(reg).toEqual({ partition_column: 'event_timestamp', partition_granularity: 'month' });
    expect(await partitionsOf(HOURLY)).toEqual(monthsAhead(1));
  });

  it('creates the partitions an ingest needs, and a re-sent row is still a duplicate', async () => {
    const rows = [
      { driver_id: 1, event_timestamp: '2021-01-31T23:59:59.999999Z', conv_rate: 0.1 },
      { driver_id: 1, event_timestamp: '2021-02-01T00:00:00Z', conv_rate: 0.2 },
      { driver_id: 2, event_timestamp: '2021-03-15T12:00:00+02:00', conv_rate: 0.3 },
      { driver_id: 2, event_timestamp: '2021-05-01T00:30:00+01:00', conv_rate: 0.4 }, // April 30th in UTC
    ];
    const res = await ingest('pit-driver-stats/ports/hourly/rows', rows);
    expect(res.json()).toMatchObject({ inserted: 4, duplicates: 0 });
    expect(await partitionsOf(HOURLY)).toEqual(['2021-01-01..2021-02-01', '2021-02-01..2021-03-01', '2021-03-01..2021-04-01', '2021-04-01..2021-05-01', ...monthsAhead(1)]);
    // Each row sits in the partition of its UTC month.
    const placed = await t.dataSource.query(`SELECT tableoid::regclass::text AS part, conv_rate FROM ${qualified(HOURLY)} ORDER BY conv_rate`);
    expect(placed.map((p: { part: string }) => p.part.split('__p')[1])).toEqual(['20210101', '20210201', '20210301', '20210401']);
    expect((await ingest('pit-driver-stats/ports/hourly/rows', rows.slice(0, 2))).json()).toMatchObject({ inserted: 0, duplicates: 2 });
  });

  it('leaves no partition behind when the ingest is refused', async () => {
    await ingest('kept/ports/events/rows', [{ id: 1, at: '2024-06-01T00:00:00Z', v: 1 }]);
    const before = await partitionsOf({ schema: 'dom_rides', name: 'kept__events__v1' });
    // Same key, other values: refused as a whole, after the partition for 1999 was made in its transaction.
    const refused = await ingest('kept/ports/events/rows', [
      { id: 2, at: '1999-01-01T00:00:00Z', v: 2 },
      { id: 1, at: '2024-06-01T00:00:00Z', v: 9 },
    ]);
    expect(refused.statusCode).toBe(422);
    expect(await partitionsOf({ schema: 'dom_rides', name: 'kept__events__v1' })).toEqual(before);
  });

  it('scans only the partitions a point-in-time probe needs (EXPLAIN ANALYZE of the retrieval plan)', async () => {
    const more = [];
    for (let m = 0; m < 12; m++) for (let d = 1; d <= 3; d++) more.push({ driver_id: 10 + d, event_timestamp: new Date(Date.UTC(2022, m, 10, 8)).toISOString(), conv_rate: m + d / 10 });
    expect((await ingest('pit-driver-stats/ports/hourly/rows', more)).statusCode).toBe(200);
    const view = (ttlSeconds: number): ResolvedFeatureView => ({
      name: 'driver_hourly',
      joinKeys: [{ name: 'driver_id', column: 'driver_id', type: 'integer' }],
      table: HOURLY,
      timestampColumn: 'event_timestamp',
      createdTimestampColumn: 'created',
      ttlSeconds,
      online: false,
      features: [{ name: 'conv_rate', column: 'conv_rate', type: 'number' }],
      version: 'test',
    });
    const keys: EntityKey[] = [{ name: 'driver_id', type: 'integer', sqlType: 'bigint', values: [] }];
    const features = [{ kind: 'feature', name: 'conv_rate', type: 'number', view: 'driver_hourly', feature: 'conv_rate' }] as FeatureOutput[];
    const executed = async (ttlSeconds: number, at: string): Promise<{ scanned: string[]; skipped: number; values: unknown[] }> => {
      const pool = (t.dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } }).master;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const catalog = await loadSourceCatalog(client, [view(ttlSeconds)], features);
        const sql = planSql('_pit_e', keys, features, [view(ttlSeconds)], catalog);
        await client.query(sql.createTemp);
        await client.query(`INSERT INTO "_pit_e" VALUES (0, 11, $1), (1, 12, $1), (2, 13, $1)`, [at]);
        await client.query(sql.analyze);
        const values = (await client.query<{ f0: number | null }>(sql.select)).rows.map((r) => r.f0);
        const [{ 'QUERY PLAN': plan }] = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) ${sql.select}`)).rows as { 'QUERY PLAN': unknown[] }[];
        const scans: { relation: string; loops: number }[] = [];
        const walk = (n: Record<string, unknown>): void => {
          if (typeof n['Relation Name'] === 'string' && String(n['Relation Name']).startsWith(`${HOURLY.name}__p`)) scans.push({ relation: String(n['Relation Name']), loops: Number(n['Actual Loops']) });
          for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
        };
        walk((plan[0] as { Plan: Record<string, unknown> }).Plan);
        await client.query('ROLLBACK');
        return { scanned: scans.filter((s) => s.loops > 0).map((s) => s.relation.split('__p')[1]), skipped: scans.filter((s) => s.loops === 0).length, values };
      } finally {
        client.release();
      }
    };
    // A 2-day ttl at 2022-07-11: only July's partition is read; every other one is pruned at run time.
    const ttl = await executed(2 * 86400, '2022-07-11T00:00:00Z');
    expect(ttl.values).toEqual([6.1, 6.2, 6.3]);
    expect(ttl.scanned).toEqual(['20220701']);
    expect(ttl.skipped).toBeGreaterThanOrEqual(15);
    // No ttl, early in August (before the 10th): newest partition first, stopping at July where the rows are.
    const open = await executed(0, '2022-08-05T00:00:00Z');
    expect(open.values).toEqual([6.1, 6.2, 6.3]);
    expect(open.scanned).toEqual(['20220801', '20220701']);
  });

  it('keeps partitions ahead of the clock and drops the ones past the contract retention', async () => {
    const kept = { schema: 'dom_rides', name: 'kept__events__v1' };
    const rows = Array.from({ length: 24 }, (_, i) => ({ id: 100 + i, at: new Date(Date.UTC(2023, i, 15)).toISOString(), v: i }));
    expect((await ingest('kept/ports/events/rows', rows)).json()).toMatchObject({ inserted: 24 });
    const maintainer = t.app.get(OfflinePartitionMaintainer);
    // Retention 365 days at 2025-03-20: the cutoff is 2024-03-20, so partitions ending by then go.
    const results = await maintainer.runOnce(new Date('2025-03-20T00:00:00Z'));
    const mine = results.find((r) => r.table === 'dom_rides.kept__events__v1')!;
    expect(mine.created.map((n) => n.split('__p')[1])).toEqual(['20250301', '20250401']);
    expect(mine.dropped.map((n) => n.split('__p')[1])).toEqual([
      '20230101',
      '20230201',
      '20230301',
      '20230401',
      '20230501',
      '20230601',
      '20230701',
      '20230801',
      '20230901',
      '20231001',
      '20231101',
      '20231201',
      '20240101',
      '20240201',
    ]);
    const [left] = await t.dataSource.query(`SELECT min(at) AS oldest, count(*)::int AS n FROM ${qualified(kept)}`);
    expect(left.oldest.toISOString()).toBe('2024-03-15T00:00:00.000Z'); // March 2024 straddles the cutoff: kept whole
    expect(left.n).toBe(1 + 24 - 14); // the June 2024 row from before, and 2024-03 .. 2024-12
    // The hourly port declares no retention: nothing of it is dropped.
    expect(results.find((r) => r.table === `${HOURLY.schema}.${HOURLY.name}`)!.dropped).toEqual([]);
  });

  it('converts an existing plain table (the migration) keeping rows, hashes, indexes and the domain role', async () => {
    const legacy = { schema: 'dom_rides', name: 'legacy_events' };
    const columns: OfflineColumn[] = [
      { name: 'driver_id', logicalType: 'integer', required: true, unique: false, primaryKey: true, logicalTypeOptions: null },
      { name: 'event_timestamp', logicalType: 'timestamp', required: true, unique: false, primaryKey: false, logicalTypeOptions: null },
      { name: 'note', logicalType: 'string', required: false, unique: false, primaryKey: false, logicalTypeOptions: null },
    ];
    const schema = t.app.get(OfflineSchemaService);
    await t.dataSource.transaction(async (m) => {
      for (const sql of createTableSql(legacy, columns, ['driver_id'])) await m.query(sql);
      await schema.ensurePointInTimeIndex(m, legacy, ['driver_id'], 'event_timestamp', null);
    });
    const values = Array.from({ length: 50 }, (_, i) => [i, new Date(Date.UTC(2020, i % 14, 1 + (i % 27), i % 24)).toISOString(), i % 5 === 0 ? null : `n\t${i}`]);
    for (const [id, at, note] of values) {
      const hash = createHash('sha256')
        .update(copyText(JSON.stringify([id, at, note])))
        .digest('hex');
      await t.dataSource.query(`INSERT INTO ${qualified(legacy)} (driver_id, event_timestamp, note, _tessera_row_hash) VALUES ($1, $2, $3, $4)`, [id, at, note, hash]);
    }
    const snapshot = `SELECT driver_id, event_timestamp, note, _tessera_row_hash, _tessera_loaded_at FROM ${qualified(legacy)} ORDER BY driver_id`;
    const indexNames = `SELECT indexname FROM pg_indexes WHERE schemaname = 'dom_rides' AND tablename = 'legacy_events' ORDER BY 1`;
    const before = await t.dataSource.query(snapshot);
    const indexesBefore = await t.dataSource.query(indexNames);

    const spec = await t.dataSource.transaction((m) => convertToPartitioned(m, { table: legacy, columns, granularity: 'year', ahead: 0, now: new Date('2021-06-01T00:00:00Z') }));
    expect(spec).toEqual({ column: 'event_timestamp', granularity: 'year', type: 'timestamp' });
    expect(await t.dataSource.query(snapshot)).toEqual(before);
    expect(await t.dataSource.query(indexNames)).toEqual(indexesBefore);
    const [{ relkind }] = await t.dataSource.query(`SELECT relkind FROM pg_class WHERE oid = $1::regclass`, [qualified(legacy)]);
    expect(relkind).toBe('p');
    expect((await listPartitions(t.dataSource, { ...legacy, partition: spec! })).map((p) => p.from.toISOString().slice(0, 4))).toEqual(['2020', '2021']);
    // The key still refuses a duplicate (now with the event time in it), and the old heap is gone.
    await expect(t.dataSource.query(`INSERT INTO ${qualified(legacy)} (driver_id, event_timestamp, _tessera_row_hash) SELECT driver_id, event_timestamp, 'x' FROM ${qualified(legacy)} LIMIT 1`)).rejects.toThrow(
      /duplicate key/,
    );
    expect(await t.dataSource.query(`SELECT to_regclass('dom_rides.legacy_events__unpartitioned') AS r`)).toEqual([{ r: null }]);
    // The domain's role reads it, through the parent, like before.
    const [{ db }] = await t.dataSource.query(`SELECT current_database() AS db`);
    const count = await t.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL ROLE "${domainRoleName(db, 'dom_rides')}"`);
      return (await m.query(`SELECT count(*)::int AS n FROM ${qualified(legacy)}`))[0].n;
    });
    expect(count).toBe(50);
    // A second run changes nothing.
    expect(await t.dataSource.transaction((m) => convertToPartitioned(m, { table: legacy, columns, granularity: 'year', ahead: 0, now: new Date() }))).toBeNull();
  });

  it('refuses rows without the event time after a minor version relaxed it, keeping the column NOT NULL', async () => {
    const [{ normalized }] = await t.dataSource.query(`SELECT normalized FROM tessera.data_contracts WHERE id = 'kept-events-v1'`);
    const relaxed = {
      ...normalized,
      version: '1.1.0',
      schema: [{ ...normalized.schema[0], properties: normalized.schema[0].properties.map((p: { name: string }) => (p.name === 'at' ? { ...p, required: false } : p)) }],
    };
    const schema = t.app.get(OfflineSchemaService);
    expect(await t.dataSource.transaction((m) => schema.syncPort(m, { domain: 'rides', productId: 'kept', port: { name: 'events', version: '1.1.0', type: 'table' }, contract: relaxed }))).toEqual({
      action: 'migrated',
      table: 'dom_rides.kept__events__v1',
    });
    const [{ attnotnull }] = await t.dataSource.query(`SELECT attnotnull FROM pg_attribute WHERE attrelid = 'dom_rides.kept__events__v1'::regclass AND attname = 'at'`);
    expect(attnotnull).toBe(true);
    const res = await ingest('kept/ports/events/rows', [
      { id: 900, at: '2024-07-01T00:00:00Z', v: 1 },
      { id: 901, v: 2 },
    ]);
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toContain('the table is partitioned by at, so a row needs a value for it');
    expect(await t.dataSource.query(`SELECT id FROM dom_rides.kept__events__v1 WHERE id >= 900`)).toEqual([]);
  });
});
