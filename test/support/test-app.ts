import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { ADMIN_KEY_FILE } from '../../src/governance/auth/bootstrap-admin-key';
import { createTestDatabase, TestDatabase } from './test-database';

type InjectOptions = Exclude<Parameters<NestFastifyApplication['inject']>[0], string | undefined>;
type GqlAnswer<T> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  dataSource: DataSource;
  /** The bootstrap admin key of this app (generated into its own data dir unless the suite set TESSERA_ADMIN_KEY). */
  adminKey: string;
  /** POST /graphql; returns the parsed body. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlAnswer<T>>;
  /** Requests with another credential: an API key, or null for none at all. */
  as(key: string | null): {
    inject(opts: InjectOptions): ReturnType<NestFastifyApplication['inject']>;
    gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GqlAnswer<T>>;
  };
  close(): Promise<void>;
}

const hasAuthorization = (headers: unknown): boolean => typeof headers === 'object' && headers !== null && Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');

/**
 * The whole service on a fresh database of its own, driven in-process with Fastify's inject.
 * Authentication is always on: unless the suite sets TESSERA_ADMIN_KEY itself (and then sends its
 * own headers), every `app.inject` and `gql` call carries the app's bootstrap admin key, except a
 * request that sets an Authorization header of its own (`authorization: ''` sends none).
 * `options.db`: run on that database instead of a fresh one on the test server.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { db?: TestDatabase } = {}): Promise<TestApp> {
  // A suite with a server of its own (the read-replica suite's primary) passes its database.
  const db = options.db ?? (await createTestDatabase());
  const dataDir = env.TESSERA_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tessera-test-data-'));
  // Periodic jobs (data quality, SLOs) stay off unless a suite turns them on: a tick would race its assertions.
  const config = TesseraConfig.fromEnv({ DATABASE_URL: db.url, TESSERA_APPLY_ON_START: 'false', TESSERA_DATA_DIR: dataDir, TESSERA_QUALITY_SCHEDULE: 'off', TESSERA_SLO_SCHEDULE: 'off', ...env });
  const dataSource = await openDatabase(db.url);
  const nest = await createApp(config, dataSource, { logger: false });
  await nest.getHttpAdapter().getInstance().ready();
  const adminKey = env.TESSERA_ADMIN_KEY ?? readFileSync(join(dataDir, ADMIN_KEY_FILE), 'utf8').trim();
  const autoAuth = env.TESSERA_ADMIN_KEY === undefined;

  const inject = nest.inject.bind(nest);
  const withKey = (key: string | null, opts: InjectOptions): InjectOptions => {
    const headers = { ...((opts.headers as Record<string, string> | undefined) ?? {}) };
    if (hasAuthorization(headers)) {
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization' && headers[k] === '') delete headers[k];
    } else if (key !== null) {
      headers.authorization = `Bearer ${key}`;
    }
    return { ...opts, headers };
  };
  const authedInject = (opts?: InjectOptions | string) => (typeof opts === 'object' && opts !== null ? inject(withKey(adminKey, opts)) : inject(opts as never));
  // The Nest application is itself a Proxy that refuses new properties: wrap it instead.
  const app = autoAuth
    ? new Proxy(nest, {
        get(target, prop) {
          if (prop === 'inject') return authedInject;
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      })
    : nest;
  const gqlWith = async <T>(key: string | null | undefined, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GqlAnswer<T>> => {
    const opts: InjectOptions = { method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query, variables } };
    const res = await (key === undefined ? app.inject(opts) : inject(withKey(key, opts)));
    return res.json();
  };
  return {
    app,
    db,
    dataSource,
    adminKey,
    gql: (query, variables, headers = {}) => gqlWith(undefined, query, variables, headers),
    as: (key) => ({
      inject: (opts) => inject(withKey(key, opts)),
      gql: (query, variables) => gqlWith(key, query, variables),
    }),
    async close() {
      await app.close();
      await dataSource.destroy();
      await db.drop();
      if (env.TESSERA_DATA_DIR === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
