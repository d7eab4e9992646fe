import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { DLQ_STREAM, dlqSubject } from '../../src/features/streaming/dead-letter';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export interface NatsTest {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

export async function natsClient(url = NATS_URL): Promise<NatsTest> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
}

/** Names no other suite uses: a source name, its stream and its subject. */
export function streamNames(prefix: string): { source: string; stream: string; subject: string } {
  const id = randomBytes(4).toString('hex');
  return { source: `${prefix}_${id}`, stream: `TEST_${prefix.toUpperCase()}_${id}`, subject: `test.${prefix}.${id}` };
}

export const streamSourceDoc = (n: { source: string; stream: string; subject: string }, extra = ''): string => `
apiVersion: tessera/v1
kind: StreamSource
name: ${n.source}
dataProduct: shop-customer-stats
outputPort: daily
stream: ${n.stream}
subject: ${n.subject}
${extra}`;

/** The dead letters of a source so far (ordered consumer on the shared DLQ stream, this source's subject only). */
export async function deadLetters(t: NatsTest, source: string, expected: number): Promise<JsMsg[]> {
  const consumer = await t.js.consumers.get(DLQ_STREAM, { filter_subjects: dlqSubject(source) });
  const out: JsMsg[] = [];
  const it = await consumer.fetch({ max_messages: expected + 1, expires: 1500 });
  for await (const m of it) out.push(m);
  return out;
}

/** Removes what a suite left on the shared broker: its stream, and its dead letters. */
export async function cleanUpNats(t: NatsTest, n: { source: string; stream: string }): Promise<void> {
  await t.jsm.streams.delete(n.stream).catch(() => undefined);
  await t.jsm.streams.purge(DLQ_STREAM, { filter: dlqSubject(n.source) }).catch(() => undefined);
  await t.nc.close();
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
