import { randomUUID } from 'node:crypto';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { MaterializationScheduler } from '../../src/features/materialization/materialization-scheduler';
import { JOB_STALE_MS } from '../../src/features/materialization/materialization.service';
import { OnlineStoreJanitor } from '../../src/features/online/online-store-janitor';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { startTestApp, TestApp } from '../support/test-app';

/** Reaping abandoned jobs, one replica per scheduled tick, and purging expired PostgreSQL online rows. */
describe('materialization housekeeping (PostgreSQL online store)', () => {
  let t: TestApp;
  const jobStatus = async (id: string) => (await t.dataSource.query<{ status: string; error: string | null }[]>(`SELECT status, error FROM tessera.materialization_jobs WHERE id = $1`, [id]))[0];
  const insertJob = async (status: string, heartbeatAgoMs: number | null, startedAgoMs: number) => {
    const id = randomUUID();
    await t.dataSource.query(
      `INSERT INTO tessera.materialization_jobs (id, views, incremental, trigger, end_ts, status, started_at, heartbeat_at, created_at)
       VALUES ($1, '{driver_hourly_stats}', true, 'api', now(), $2, now() - make_interval(secs => $3::double precision / 1000),
               CASE WHEN $4::double precision IS NULL THEN NULL ELSE now() - make_interval(secs => $4::double precision / 1000) END,
               now() - make_interval(secs => $3::double precision / 1000))`,
      [id, status, startedAgoMs, heartbeatAgoMs],
    );
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_ONLINE_STORE: 'postgres' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: servingMeshFiles(hourlyView({ ttl: '1h' })), dryRun: false } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  it('fails jobs whose process stopped sending heartbeats, and leaves live ones alone', async () => {
    const dead = await insertJob('running', JOB_STALE_MS + 60_000, JOB_STALE_MS + 120_000);
    const neverStarted = await insertJob('queued', null, JOB_STALE_MS + 60_000);
    const alive = await insertJob('running', 1_000, JOB_STALE_MS + 120_000);
    const done = await insertJob('succeeded', JOB_STALE_MS + 60_000, JOB_STALE_MS + 120_000);
    await t.app.get(MaterializationScheduler).housekeeping();
    expect(await jobStatus(dead)).toEqual({ status: 'failed', error: expect.stringMatching(/^abandoned: no heartbeat since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ .*rerun it$/) });
    expect((await jobStatus(neverStarted)).status).toBe('failed');
    expect(await jobStatus(alive)).toEqual({ status: 'running', error: null });
    expect(await jobStatus(done)).toEqual({ status: 'succeeded', error: null });
  });

  it('runs a scheduled tick on exactly one of several replicas', async () => {
    const config = TesseraConfig.fromEnv({ DATABASE_URL: t.db.url, TESSERA_APPLY_ON_START: 'false', TESSERA_ONLINE_STORE: 'postgres' });
    const replicas = [t.app, await createApp(config, t.dataSource, { logger: false }), await createApp(config, t.dataSource, { logger: false })];
    try {
      const tickAt = new Date('2030-01-01T00:00:00.400Z');
      const results = await Promise.all(replicas.map((app) => app.get(MaterializationScheduler).tick('driver_hourly_stats', tickAt)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(results.find((r) => r !== null)).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
      // The next tick is a new claim.
      const next = await replicas[1].get(MaterializationScheduler).tick('driver_hourly_stats', new Date('2030-01-01T00:00:01Z'));
      expect(next).toMatchObject({ trigger: 'schedule' });
      const claims = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tessera.materialization_schedule_claims WHERE view = 'driver_hourly_stats'`);
      expect(claims[0].n).toBe(2);
    } finally {
      await Promise.all(replicas.slice(1).map((app) => app.close()));
    }
  });

  it('purges expired online rows, keeps live ones, and reads never saw the expired ones', async () => {
    const now = Date.now();
    await ingestDriverRows(t.app, [
      { driver_id: 71, event_timestamp: new Date(now - 10 * 60_000), conv_rate: 0.71 },
      { driver_id: 72, event_timestamp: new Date(now - 50 * 60_000), conv_rate: 0.72 },
    ]);
    const mat = await t.app.inject({
      method: 'POST',
      url: '/materialize',
      payload: { start_ts: new Date(now - 3600_000).toISOString(), end_ts: new Date(now).toISOString(), feature_views: ['driver_hourly_stats'] },
    });
    expect(mat.json().job).toMatchObject({ status: 'succeeded', rowsWritten: 2 });
    // Age entity 72 past its ttl as time would.
    await t.dataSource.query(`UPDATE tessera.online_features SET expires_at = now() - interval '1 second' WHERE view = 'driver_hourly_stats' AND entity_key LIKE '%72%'`);
    const read = await t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [71, 72] } } });
    expect(read.json().results[1].values).toEqual([0.71, null]);
    const count = async () => (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tessera.online_features WHERE view = 'driver_hourly_stats'`))[0].n;
    expect(await count()).toBe(2);
    expect(await t.app.get(OnlineStoreJanitor).sweep()).toBe(1);
    expect(await count()).toBe(1);
    const again = await t.app.inject({ method: 'POST', url: '/get-online-features', payload: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [71, 72] } } });
    expect(again.json().results[1].values).toEqual([0.71, null]);
  });
});
