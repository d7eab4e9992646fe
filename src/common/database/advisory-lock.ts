import type { DataSource } from 'typeorm';

/** Named session-level advisory locks; one namespace so they never collide with transaction-level ones. */
export const ADVISORY_LOCKS = {
  migrations: 'tessera.migrations',
  startup: 'tessera.startup',
} as const;

/**
 * Runs `work` while holding a PostgreSQL advisory lock on a connection of its own, so replicas that
 * start at once take turns (the second finds the migrations run and the start-up work done). The
 * lock is session-level: it is released by the unlock below, or by PostgreSQL when the connection
 * ends, so a replica that dies holding it blocks nobody.
 */
export async function withAdvisoryLock<T>(ds: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [name]);
    try {
      return await work();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    }
  } finally {
    await runner.release();
  }
}
