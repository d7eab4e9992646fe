import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/common/database/data-source';
import { TesseraConfig } from '../../src/config/tessera-config';
import { createApp } from '../../src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  dataSource: DataSource;
  /** POST /graphql; returns the parsed body. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  close(): Promise<void>;
}

/** The whole service on a fresh database of its own, driven in-process with Fastify's inject. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = TesseraConfig.fromEnv({ DATABASE_URL: db.url, TESSERA_APPLY_ON_START: 'false', ...env });
  const dataSource = await openDatabase(db.url);
  const app = await createApp(config, dataSource, { logger: false });
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    db,
    dataSource,
    async gql(query, variables, headers = {}) {
      const res = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query, variables } });
      return res.json();
    },
    async close() {
      await app.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}
