import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { ONLINE_STORE, OnlineStore } from '../../src/features/online/online-store';
import { hourlyView, ingestDriverRows, servingMeshFiles } from '../fixtures/serving-mesh';
import { ScratchPostgres, startScratchPostgres } from '../support/local-processes';

/**
 * Issue 11, no secret in SQL text: during a masked bulk read (point-in-time retrieval of a PII column
 * by a consumer without PII access) neither the HMAC secret nor its pads appear in
 * pg_stat_activity.query (polled from an admin session while the read runs) nor in the statement log
 * of a server of this suite's own running with log_statement = all. Both checks also prove they saw
 * the masked read, so they cannot pass by looking at nothing.
 */
const SECRET = 'pii-secrecy-secret-0123456789abcdef';
const ADMIN_KEY = 'pii-secrecy-admin-key-0123456789abcdef';
const ROWS = 30_000;
const token = (v: string) => createHmac('sha256', SECRET).update(v, 'utf8').digest('hex');

/** Every form the key could leak in: the text, its hex, and both HMAC pads as hex. */
function keyMaterial(): string[] {
  const block = Buffer.alloc(64);
  Buffer.from(SECRET, 'utf8').copy(block);
  const pad = (byte: number) => Buffer.from(block.map((b) => b ^ byte)).toString('hex');
  return [SECRET, Buffer.from(SECRET, 'utf8').toString('hex'), pad(0x36), pad(0x5c)];
}

describe('the PII key never appears in SQL text or the server log (issue 11)', () => {
  let pg: ScratchPostgres;
  let ds: DataSource;
  let app: NestFastifyApplication;
  let dataDir: string;
  const log: string[] = [];
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    pg = await startScratchPostgres({ postgresFlags: ['-c', 'log_statement=all'], onLog: (line) => log.push(line) });
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-pii-secrecy-'));
    const config = TesseraConfig.fromEnv({
      DATABASE_URL: pg.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      TESSERA_REDIS_PREFIX: `t:pii-secrecy:${randomBytes(4).toString('hex')}:`,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ADMIN_KEY: ADMIN_KEY,
      TESSERA_APPLY_ON_START: 'false',
      TESSERA_QUALITY_SCHEDULE: 'off',
      TESSERA_SLO_SCHEDULE: 'off',
      TESSERA_PII_HMAC_SECRET: SECRET,
    });
    ds = await openDatabase(pg.url);
    app = await createApp(config, ds, { logger: false });
    await app.getHttpAdapter().getInstance().ready();
  }, 120_000);
  afterAll(async () => {
    await app?.get<OnlineStore>(ONLINE_STORE).deleteAll();
    await app?.close();
    await ds?.destroy();
    await pg?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads masked values computed in SQL while pg_stat_activity and the statement log show no key material', async () => {
    const files = servingMeshFiles(hourlyView({ ttl: '0' })).map((f) =>
      f.path.endsWith('hourly.odcs.yaml') ? { ...f, content: f.content.replace('{ name: note, logicalType: string, classification: internal }', '{ name: note, logicalType: string, classification: pii }') } : f,
    );
    const applied = await app.inject({ method: 'POST', url: '/v1/contracts/apply', headers: auth(ADMIN_KEY), payload: { files } });
    expect(applied.json()).toMatchObject({ applied: true });
    const at = new Date(Date.now() - 60_000);
    await ingestDriverRows(
      app,
      Array.from({ length: ROWS }, (_, i) => ({ driver_id: i + 1, event_timestamp: at, conv_rate: 0.5, note: `person${i + 1}@example.com` })),
      auth(ADMIN_KEY),
    );
    const keys: Record<string, string> = {};
    for (const [name, roles] of [
      ['dave', [{ role: 'consumer' }]],
      ['rita', [{ role: 'domain_owner', domain: 'rides' }]],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: auth(ADMIN_KEY),
        payload: { query: `mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, variables: { p: { id: `person:${name}`, kind: 'person' }, r: roles } },
      });
      keys[name] = res.json().data.createApiKey.key;
    }
    const gql = async (key: string, query: string) => (await app.inject({ method: 'POST', url: '/graphql', headers: auth(key), payload: { query } })).json();
    const requested = await gql(
      keys.dave,
      `mutation { requestAccess(input: { dataProduct: "rides-driver-stats", outputPort: "hourly", purpose: "secrecy test", endDate: "${new Date(Date.now() + 86_400_000).toISOString()}" }) { id } }`,
    );
    const approved = await gql(keys.rita, `mutation { approveAccess(id: "${requested.data.requestAccess.id}") { status } }`);
    expect(approved.data.approveAccess.status).toBe('approved');

    // Poll every backend's current statement from an admin (superuser) session while the read runs.
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    const seen = new Set<string>();
    let reading = true;
    const poller = (async () => {
      while (reading) {
        const { rows } = await admin.query<{ query: string }>(`SELECT query FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query <> ''`);
        for (const r of rows) seen.add(r.query);
      }
    })();
    const now = new Date().toISOString();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/historical-features',
      headers: auth(keys.dave),
      payload: { features: ['driver_hourly_stats:note'], entities: { driver_id: Array.from({ length: ROWS }, (_, i) => i + 1), event_timestamp: Array.from({ length: ROWS }, () => now) } },
    });
    reading = false;
    await poller;
    await admin.end();

    expect(res.statusCode).toBe(200);
    const notes = res.json().columns.note as string[];
    expect(notes).toHaveLength(ROWS);
    expect([notes[0], notes[ROWS - 1]]).toEqual([token('person1@example.com'), token(`person${ROWS}@example.com`)]);

    // A training dataset is the same retrieval kept with CREATE TABLE AS (one connection, its own transaction); then exported.
    const saved = await app.inject({
      method: 'POST',
      url: '/v1/training-datasets',
      headers: { ...auth(keys.dave), 'content-type': 'application/json' },
      payload: { name: 'secrecy', features: ['driver_hourly_stats:note'], entities: { driver_id: [1, 2], event_timestamp: [now, now] } },
    });
    expect(saved.statusCode).toBe(201);
    const exported = await app.inject({ method: 'GET', url: '/v1/training-datasets/secrecy/versions/latest/rows', headers: auth(keys.dave) });
    expect(exported.json().columns.note).toEqual([token('person1@example.com'), token('person2@example.com')]);

    const masked = [...seen].filter((q) => q.includes('tessera_pii_pads'));
    expect(masked.length).toBeGreaterThan(0); // the poll did catch the masked read
    const logText = log.join('\n');
    expect(logText).toMatch(/statement: [^\n]*DECLARE pit_cursor[^\n]*tessera_pii_pads/); // and the log has both reads
    expect(logText).toMatch(/statement: CREATE TABLE [^\n]*tessera_pii_pads/);
    for (const secret of keyMaterial()) {
      for (const q of seen) expect(q.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(logText.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  }, 180_000);
});
