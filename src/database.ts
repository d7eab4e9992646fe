import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { CATALOG_ENTITIES } from './catalog/entities';
import * as db from './common/database/data-source';
import { OfflineTableEntity } from './features/offline/offline-table.entity';
import { RegistryObjectEntity } from './features/registry/registry-object.entity';

/** Every module's TypeORM entities (the rest of the SQL is raw, in each module's repositories). */
export const ALL_ENTITIES = [...CATALOG_ENTITIES, RegistryObjectEntity, OfflineTableEntity];

/** What the app keeps in PostgreSQL; listed here, at the app level, so src/common stays a leaf. */
export const TESSERA_SCHEMA: db.DatabaseSchema = { entities: ALL_ENTITIES, migrations: MIGRATIONS };

/** The app's DataSource, not yet initialised. */
export function createDataSource(url: string, applicationName = 'tessera'): DataSource {
  return db.createDataSource(url, TESSERA_SCHEMA, applicationName);
}

/** The app's DataSource, initialised and migrated. */
export function openDatabase(url: string): Promise<DataSource> {
  return db.openDatabase(url, TESSERA_SCHEMA);
}
