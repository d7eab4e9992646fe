import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ServiceProcess } from '../support/local-processes';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One HTTP call to a replica process; the body parsed when it is JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked by expect()
export async function call(r: ServiceProcess, key: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${r.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (metrics text): kept as text
  }
  return { status: res.status, body: parsed };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL data, checked by expect()
export async function gql<T = any>(r: ServiceProcess, key: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const res = await call(r, key, 'POST', '/graphql', { query, variables });
  return res.body;
}

/** Polls `check` every 5 ms until it holds; the time it took (ms), or null after `timeoutMs`. */
export async function msUntil(check: () => Promise<boolean>, timeoutMs: number, since = Date.now()): Promise<number | null> {
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - since;
    if (Date.now() - since > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export { deleteRedisPrefix } from '../support/local-processes';

export async function queryDb<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'tessera-replica-'));
export const hex = (): string => randomBytes(4).toString('hex');
