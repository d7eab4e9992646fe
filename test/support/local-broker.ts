import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopProcess, until } from './local-processes';
import { natsClient } from './nats-test';

/** A nats-server with JetStream of a suite's own (its own port and store dir), to stop and restart. */
export interface LocalBroker {
  url: string;
  dir: string;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startLocalBroker(): Promise<LocalBroker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-nats-'));
  let proc: ChildProcess | null = null;
  const broker: LocalBroker = {
    url: `nats://127.0.0.1:${port}`,
    dir,
    async start() {
      proc = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
      await until('nats-server to accept clients', async () => {
        const c = await natsClient(broker.url).catch(() => null);
        if (!c) return false;
        await c.nc.close();
        return true;
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc) await stopProcess(proc, signal);
      proc = null;
    },
  };
  await broker.start();
  return broker;
}
