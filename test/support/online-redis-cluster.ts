import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { portFree, until } from './local-processes';

const run = promisify(execFile);

export interface LocalRedisCluster {
  nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Three ports p whose cluster bus ports p + 10000 are free too. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count && attempt < 500; attempt++) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if (!ports.includes(p) && (await portFree(p)) && (await portFree(p + 10000))) ports.push(p);
  }
  if (ports.length < count) throw new Error('no free ports for a Redis Cluster');
  return ports;
}

const cli = async (port: number, ...args: string[]): Promise<string> => (await run('redis-cli', ['-p', String(port), ...args])).stdout;

/**
 * A real three-master Redis Cluster on free local ports, for one test suite: redis-server processes
 * with cluster-enabled in a temp directory, joined by `redis-cli --cluster create`. stop() kills
 * exactly the processes it started and removes the directory.
 */
export async function startLocalRedisCluster(): Promise<LocalRedisCluster> {
  const ports = await freePorts(3);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-cluster-'));
  const procs: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '2000', '--dir', dir, '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    ),
  );
  const stop = async (): Promise<void> => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await until(`redis-server on ${port}`, async () => (await cli(port, 'ping')).trim() === 'PONG');
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await until(`cluster state ok on ${port}`, async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'));
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop };
}
