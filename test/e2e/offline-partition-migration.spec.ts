import { PartitionedOfflineTables1764350400000 } from '../../migrations/1764350400000-partitioned-offline-tables';
import { hourlyRows, pitMeshFiles } from '../support/pit-mesh';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The migration of issue 15 on a database whose offline tables are plain (created with partitioning
 * off, as every table was before it): its `down` then `up` convert them in place, and the service
 * goes on ingesting into them without a restart (the partition spec is read per request).
 */
describe('offline store: the partitioning migration', () => {
  let t: TestApp;
  const TABLE = 'dom_rides.pit_driver_stats__hourly__v1';
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_OFFLINE_PARTITION_GRANULARITY: 'none' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: pitMeshFiles() } })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const ingest = (rows: unknown[]) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/data-products/pit-driver-stats/ports/hourly/rows',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    });
  const relkind = async (): Promise<string> => (await t.dataSource.query(`SELECT relkind FROM pg_class WHERE oid = $1::regclass`, [TABLE]))[0].relkind;

  it('converts a plain table with its rows, and later ingests land in partitions', async () => {
    expect((await ingest(hourlyRows)).json()).toMatchObject({ inserted: hourlyRows.length });
    expect(await relkind()).toBe('r');
    const rows = `SELECT driver_id, event_timestamp, created, conv_rate, trips_today, city, _tessera_row_hash, _tessera_loaded_at FROM ${TABLE} ORDER BY _tessera_row_hash`;
    const before = await t.dataSource.query(rows);

    const migration = new PartitionedOfflineTables1764350400000();
    const runner = t.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }

    expect(await relkind()).toBe('p');
    expect(await t.dataSource.query(rows)).toEqual(before);
    const registered = await t.dataSource.query(`SELECT port, partition_column, partition_granularity FROM tessera.offline_tables WHERE product_id = 'pit-driver-stats' ORDER BY port`);
    expect(registered).toEqual([
      { port: 'daily', partition_column: 'event_timestamp', partition_granularity: 'month' },
      { port: 'hourly', partition_column: 'event_timestamp', partition_granularity: 'month' },
    ]);
    // Re-sent rows are still duplicates (ON CONFLICT on the new (hash, time) index); a new month gets a partition.
    expect((await ingest(hourlyRows)).json()).toMatchObject({ inserted: 0, duplicates: hourlyRows.length });
    expect((await ingest([{ driver_id: 7, event_timestamp: '2030-02-03T00:00:00Z', conv_rate: 1 }])).json()).toMatchObject({ inserted: 1 });
    const [{ part }] = await t.dataSource.query(`SELECT tableoid::regclass::text AS part FROM ${TABLE} WHERE driver_id = 7`);
    expect(part).toBe('dom_rides.pit_driver_stats__hourly__v1__p20300201');
  });
});
