import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { CATALOG_ENTITIES } from '../../catalog/entities';
import { OfflineTableEntity } from '../../features/offline/offline-table.entity';
import { RegistryObjectEntity } from '../../features/registry/registry-object.entity';
import { warnIfSuperuser } from './connection-role';
import { ResilientPgClient } from './resilient-pg-client';

export const ALL_ENTITIES = [...CATALOG_ENTITIES, RegistryObjectEntity, OfflineTableEntity];

/** The one TypeORM DataSource: reviewed migrations only, never `synchronize`. */
export function createDataSource(url: string, applicationName = 'tessera'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ALL_ENTITIES,
    migrations: MIGRATIONS,
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

export async function openDatabase(url: string): Promise<DataSource> {
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await warnIfSuperuser(ds);
  return ds;
}
