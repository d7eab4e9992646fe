import type { JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { ON_DEMAND_HEADERS, predictSubject, RESULTS_STREAM, resultSubject } from '../../src/scoring/on-demand/on-demand-subjects';
import type { NatsTest } from './nats-test';

/** Publishes one prediction request (body as REST's), with the caller's key and a request id. */
export async function publishRequest(t: NatsTest, model: string, requestId: string | null, body: unknown, key: string | null): Promise<void> {
  const h = headers();
  if (requestId !== null) h.set(ON_DEMAND_HEADERS.requestId, requestId);
  if (key !== null) h.set(ON_DEMAND_HEADERS.authorization, `Bearer ${key}`);
  await t.js.publish(predictSubject(model), typeof body === 'string' ? body : JSON.stringify(body), { headers: h, timeout: 5000 });
}

/** Every answer stored for the model so far, up to `max` (an ordered consumer of the results stream; waits at most `expiresMs` for `max`). */
export async function results(t: NatsTest, model: string, max: number, expiresMs = 1000): Promise<JsMsg[]> {
  const consumer = await t.js.consumers.get(RESULTS_STREAM, { filter_subjects: resultSubject(model, '>') });
  const out: JsMsg[] = [];
  const it = await consumer.fetch({ max_messages: max, expires: Math.max(1000, expiresMs) });
  for await (const m of it) out.push(m);
  return out;
}

/** Waits until `n` answers for the model are stored; returns them by request id. */
export async function untilResults(t: NatsTest, model: string, n: number, timeoutMs = 20_000): Promise<Map<string, JsMsg[]>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await results(t, model, n, Math.min(5000, Math.max(1000, end - Date.now())));
    if (got.length >= n || Date.now() > end) {
      if (got.length < n) throw new Error(`timed out waiting for ${n} answers of ${model}: ${got.length}`);
      const by = new Map<string, JsMsg[]>();
      for (const m of got) {
        const id = m.headers?.get(ON_DEMAND_HEADERS.requestId) ?? '';
        by.set(id, [...(by.get(id) ?? []), m]);
      }
      return by;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
