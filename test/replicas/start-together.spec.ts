import { MIGRATIONS } from '../../migrations';
import { ServiceProcess, startServiceProcess, stopProcess } from '../support/local-processes';
import { adminQuery, adminUrl, withDatabase } from '../support/postgres-admin';
import { call, deleteRedisPrefix, hex, queryDb, REDIS_URL, tempDataDir } from './replica-support';

/**
 * Three service processes started at the same moment on a fresh, empty database: the migrations run
 * once (the advisory lock makes the others wait and then find nothing to do), all three serve. Their
 * rate limit counters live in Redis, so a principal's requests spread over the three are limited at
 * the configured total, not three times it.
 */
const LIMIT = 30;
const ADMIN_KEY = 'replicas-start-admin-key-0123456789';

describe('replicas: three started at once on a fresh database', () => {
  const name = `tessera_t_fresh_${hex()}`;
  const url = withDatabase(adminUrl(), name);
  const prefix = `t:replicas-start:${hex()}:`;
  let replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    const env = {
      DATABASE_URL: url,
      REDIS_URL,
      TESSERA_ONLINE_STORE: 'redis',
      TESSERA_REDIS_PREFIX: prefix,
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      TESSERA_PII_HMAC_SECRET: 'replicas-test-pii-secret-0123456789',
      TESSERA_RATE_LIMIT_PER_MINUTE: String(LIMIT),
      LOG_LEVEL: 'info',
    };
    replicas = await Promise.all([0, 1, 2].map(() => startServiceProcess({ ...env, TESSERA_DATA_DIR: tempDataDir() }, 180_000)));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => stopProcess(r.proc)));
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await deleteRedisPrefix(prefix);
  }, 60_000);

  it('migrates once: every migration recorded exactly once, no replica failed', async () => {
    const rows = await queryDb<{ name: string; n: number }>(url, `SELECT name, count(*)::int AS n FROM public.tessera_migrations GROUP BY name ORDER BY name`);
    expect(rows).toHaveLength(MIGRATIONS.length);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    for (const r of replicas) {
      expect(r.proc.exitCode).toBeNull();
      expect((await call(r, null, 'GET', '/ready')).status).toBe(200);
      // Pino levels: 50 error, 60 fatal.
      expect(
        r
          .output()
          .split('\n')
          .filter((l) => /"level":(50|60)/.test(l)),
      ).toEqual([]);
    }
    // The change feed's table is there, and each replica listens on a connection of its own.
    const listeners = await queryDb<{ n: number }>(url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'tessera-changes %'`, [name]);
    expect(listeners[0].n).toBe(3);
  });

  it('limits a principal at the configured total across the replicas (counters in Redis)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 15; i++) statuses.push((await call(replicas[i % 3], ADMIN_KEY, 'GET', '/v1/models')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
    // Every replica refuses now, whichever served the requests.
    for (const r of replicas) expect((await call(r, ADMIN_KEY, 'GET', '/v1/models')).status).toBe(429);
    for (const r of replicas) expect(r.output()).toContain('counted in Redis (shared by all replicas)');
  });
});
