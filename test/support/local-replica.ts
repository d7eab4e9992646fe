import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, until } from './local-processes';

/**
 * A PostgreSQL 15 primary (wal_level=replica) and a streaming hot standby made from it with
 * `pg_basebackup -R`, from Debian's binaries, on ports of their own: the read-replica tests pause the
 * standby's replay, stop it and start it again for real. The service role is created on the primary
 * and reaches the standby through replication, as in production (ADR 0019).
 */
export interface LocalReplicaPair {
  /** The service's database on the primary, as the non-superuser service role. */
  primaryUrl: string;
  /** The same database on the standby, same role. */
  replicaUrl: string;
  /** A superuser query on the primary or the standby. */
  admin<T = Record<string, unknown>>(server: 'primary' | 'replica', sql: string, values?: unknown[]): Promise<T[]>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Fast shutdown of the standby (connections are cut); `startReplica` brings it back on the same port. */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** SIGSTOP to the standby's postmaster and every backend of it: connections stay open, nothing answers. */
  freezeReplica(): void;
  /** SIGCONT to the same processes (and any started since by the postmaster). */
  thawReplica(): void;
  /** Stops both servers and removes their data. */
  stop(): Promise<void>;
}

const BIN = process.env.TESSERA_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const ADMIN = 'replica_admin';
const SERVICE = 'replica_service';
const DATABASE = 'tessera_replica_test';

/** PostgreSQL refuses to run as root: as root, the servers run as the `postgres` OS user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

function pg(tool: string, args: string[]): void {
  const r = spawnSync(join(BIN, tool), args, { ...runAs(), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}`);
}

export async function startReplicaPair(): Promise<LocalReplicaPair> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-standby-'));
  const owner = runAs();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  const url = (port: number, user: string, database = DATABASE) => `postgres://${user}:${user}@127.0.0.1:${port}/${database}`;
  const ctl = (data: string, action: 'start' | 'stop', log: string) => pg('pg_ctl', ['-D', data, '-l', join(dir, log), '-w', '-t', '60', ...(action === 'stop' ? ['-m', 'fast'] : []), action]);

  pg('initdb', ['-D', primaryDir, '-U', ADMIN, '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  // Test servers only: trust on loopback, no fsync; small shared memory so they fit beside the suite's.
  appendFileSync(
    join(primaryDir, 'postgresql.conf'),
    [
      `port=${primaryPort}`,
      `listen_addresses='127.0.0.1'`,
      `unix_socket_directories='${dir}'`,
      'wal_level=replica',
      'max_wal_senders=4',
      'hot_standby=on',
      'fsync=off',
      'shared_buffers=16MB',
      'max_connections=40',
      '',
    ].join('\n'),
  );
  appendFileSync(join(primaryDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
  ctl(primaryDir, 'start', 'primary.log');

  const admin = async <T>(port: number, sql: string, values: unknown[] = [], database = 'postgres'): Promise<T[]> => {
    const c = new Client({ connectionString: url(port, ADMIN, database) });
    await c.connect();
    try {
      return (await c.query(sql, values)).rows as T[];
    } finally {
      await c.end();
    }
  };
  // As production runs (ADR 0019): LOGIN, NOSUPERUSER, CREATEROLE only.
  try {
    return await makeStandby();
  } catch (err) {
    // Never leave a server behind when setting up fails half-way.
    for (const d of [replicaDir, primaryDir]) spawnSync(join(BIN, 'pg_ctl'), ['-D', d, '-m', 'immediate', '-w', 'stop'], { ...owner });
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  /** The standby's postmaster (from its postmaster.pid, the processes this suite started) and its children. */
  function signalReplica(signal: NodeJS.Signals): void {
    const postmaster = Number(readFileSync(join(replicaDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)])
      .toString()
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((pid) => pid > 0);
    // Children first when stopping (none is left running behind a frozen parent), the parent first when resuming.
    for (const pid of signal === 'SIGSTOP' ? [...children, postmaster] : [postmaster, ...children]) process.kill(pid, signal);
  }

  async function makeStandby(): Promise<LocalReplicaPair> {
    await admin(primaryPort, `CREATE ROLE ${SERVICE} LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD '${SERVICE}'`);
    await admin(primaryPort, `CREATE DATABASE ${DATABASE} OWNER ${SERVICE}`);

    pg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', ADMIN, '-D', replicaDir, '-R', '-X', 'stream', '--checkpoint=fast']);
    // The copy carries the primary's settings: only the port differs.
    appendFileSync(join(replicaDir, 'postgresql.conf'), `port=${replicaPort}\n`);
    const startReplica = async (): Promise<void> => {
      ctl(replicaDir, 'start', 'replica.log');
      await until('the standby to accept reads', async () => (await admin<{ r: boolean }>(replicaPort, 'SELECT pg_is_in_recovery() AS r'))[0].r);
    };
    await startReplica();
    writeFileSync(join(dir, 'README'), 'tessera read-replica test servers (test/support/local-replica.ts)\n');

    return {
      primaryUrl: url(primaryPort, SERVICE),
      replicaUrl: url(replicaPort, SERVICE),
      admin: (server, sql, values) => admin(server === 'primary' ? primaryPort : replicaPort, sql, values, DATABASE),
      pauseReplay: async () => {
        await admin(replicaPort, 'SELECT pg_wal_replay_pause()');
        await until('replay to pause', async () => (await admin<{ s: string }>(replicaPort, 'SELECT pg_get_wal_replay_pause_state() AS s'))[0].s === 'paused');
      },
      resumeReplay: async () => void (await admin(replicaPort, 'SELECT pg_wal_replay_resume()')),
      stopReplica: async () => ctl(replicaDir, 'stop', 'replica.log'),
      freezeReplica: () => signalReplica('SIGSTOP'),
      thawReplica: () => signalReplica('SIGCONT'),
      startReplica,
      async stop() {
        try {
          signalReplica('SIGCONT');
        } catch {
          // not running
        }
        for (const [d, log] of [
          [replicaDir, 'replica.log'],
          [primaryDir, 'primary.log'],
        ] as const) {
          try {
            ctl(d, 'stop', log);
          } catch {
            // already stopped
          }
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
