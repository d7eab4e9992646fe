/**
 * What read routing costs per heavy read (ADR 0031): `ReadRouter.route()` — the primary's WAL position,
 * then the replica's replay check (and waits, if any) — against a real PostgreSQL 15 primary and a
 * `pg_basebackup -R` standby (test/support/local-replica.ts), with the primary idle and while a writer
 * commits small transactions in a loop. Also how far behind the replica ran meanwhile.
 * Run: `npx ts-node --transpile-only bench/read-routing.bench.ts`. Env: BENCH_ROUTES (500; quick 100), BENCH_QUICK=1.
 */
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ReadRouter } from '../src/common/database/read-router';
import { startReplicaPair } from '../test/support/local-replica';
import { fmtMs, median, percentile, size, table } from './bench-support';

const ROUTES = size('BENCH_ROUTES', 500, 100);

async function main(): Promise<void> {
  const pair = await startReplicaPair();
  const primary = new DataSource({ type: 'postgres', url: pair.primaryUrl, extra: { max: 4 } });
  await primary.initialize();
  const router = new ReadRouter(primary, { url: pair.replicaUrl, maxLagMs: 5000, catchUpMs: 500, probeMs: 0 });
  const writer = new Pool({ connectionString: pair.primaryUrl, max: 1 });
  const rows: (string | number)[][] = [];
  try {
    await router.start();
    await writer.query('CREATE TABLE bench_writes (id bigserial PRIMARY KEY, payload text)');
    const measure = async (label: string): Promise<void> => {
      const ms: number[] = [];
      const reasons = new Map<string, number>();
      let maxLagBytes = 0;
      for (let i = 0; i < ROUTES; i++) {
        const start = process.hrtime.bigint();
        const route = await router.route();
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
        reasons.set(route.reason, (reasons.get(route.reason) ?? 0) + 1);
        if (i % 50 === 0) maxLagBytes = Math.max(maxLagBytes, (await router.probe()).lagBytes ?? 0);
      }
      const sorted = [...ms].sort((a, b) => a - b);
      rows.push([label, fmtMs(median(ms)), fmtMs(percentile(sorted, 99)), fmtMs(sorted[sorted.length - 1]), [...reasons].map(([r, n]) => `${r} ${n}`).join(', '), maxLagBytes]);
    };
    await measure('primary idle');
    let writing = true;
    let commits = 0;
    const loop = (async () => {
      while (writing) {
        await writer.query(`INSERT INTO bench_writes (payload) VALUES (repeat('x', 200))`);
        commits++;
      }
    })();
    const started = Date.now();
    await measure('writer committing in a loop');
    writing = false;
    await loop;
    const rate = Math.round(commits / ((Date.now() - started) / 1000));
    console.log(
      [
        `### Read routing: cost of route() per heavy read (${ROUTES} routes each, real streaming standby on the same machine)`,
        '',
        `Loaded 2-core machine shared with other work. Writer: ${rate} commits/s (synchronous_commit on, fsync off).`,
        '',
        table(['primary', 'median', 'p99', 'max', 'routed', 'max lag seen (bytes)'], rows),
      ].join('\n'),
    );
  } finally {
    await router.stop();
    await writer.end();
    await primary.destroy();
    await pair.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
