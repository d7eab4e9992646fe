import type { JsMsg } from '@nats-io/jetstream';
import { spawn } from 'node:child_process';
import { headers } from '@nats-io/transport-node';
import { ON_DEMAND_HEADERS, predictSubject, RESULTS_STREAM, resultSubject } from '../../src/scoring/on-demand/on-demand-subjects';
import { freePort, type ServiceProcess, stopProcess, until } from './local-processes';
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

/** `tessera worker --models …` (the CLI, through ts-node) as its own process, as an operator runs it. */
export async function startWorkerProcess(models: string, env: Record<string, string>, opts: { waitHealthy?: boolean; timeoutMs?: number } = {}): Promise<ServiceProcess> {
  const { waitHealthy = true, timeoutMs = 120_000 } = opts;
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    TESSERA_QUALITY_SCHEDULE: 'off',
    TESSERA_SLO_SCHEDULE: 'off',
    LOG_LEVEL: 'warn',
    ...env,
    HOST: '127.0.0.1',
    NODE_OPTIONS: '',
  };
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/tessera.ts', 'worker', '--models', models, '--port', String(port)], {
    cwd: process.cwd(),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  if (!waitHealthy) return { port, baseUrl, proc, output: () => out };
  try {
    await until(`the worker on ${port} to answer /health`, async () => proc.exitCode !== null || proc.signalCode !== null || (await fetch(`${baseUrl}/health`)).ok, timeoutMs, 200);
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the worker exited (${proc.exitCode ?? proc.signalCode})`);
  } catch (err) {
    await stopProcess(proc, 'SIGKILL');
    throw new Error(`${(err as Error).message}\n${out.slice(-4000)}`, { cause: err });
  }
  return { port, baseUrl, proc, output: () => out };
}
