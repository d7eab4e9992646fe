import { DataSource, DataSourceOptions } from 'typeorm';
import { ADVISORY_LOCKS, withAdvisoryLock } from './advisory-lock';
import { warnIfSuperuser } from './connection-role';
import { ResilientPgClient } from './resilient-pg-client';

/**
 * The modules' entity classes and the reviewed migrations. Passed in by the app (src/database.ts)
 * because common is a leaf: it must not know the feature modules' entities.
 */
export interface DatabaseSchema {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** The one TypeORM DataSource: reviewed migrations only, never `synchronize`. */
export function createDataSource(url: string, schema: DatabaseSchema, applicationName = 'tessera'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'tessera_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    // Pin the search path: with PostgreSQL's default `"$user", public`, a login role named like one
    // of our schemas (the embedded server's `tessera`) would move the migrations table under it.
    schema: 'public',
    extra: { max: 10, connectionTimeoutMillis: 5000, options: '-c search_path=public', Client: ResilientPgClient },
  });
}

/** Opens the pool and runs pending migrations; replicas starting at once take turns (advisory lock), so each migration runs once. */
export async function openDatabase(url: string, schema: DatabaseSchema): Promise<DataSource> {
  const ds = createDataSource(url, schema);
  await ds.initialize();
  try {
    await withAdvisoryLock(ds, ADVISORY_LOCKS.migrations, () => ds.runMigrations({ transaction: 'each' }));
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    throw err;
  }
  await warnIfSuperuser(ds);
  return ds;
}
