import { CatalogInit1764338400000 } from './1764338400000-catalog-init';
import { OfflineTables1764338500000 } from './1764338500000-offline-tables';
import { OnlineStore1764338600000 } from './1764338600000-online-store';
import { ModelRegistry1764338800000 } from './1764338800000-model-registry';
import { MaterializationHousekeeping1764339400000 } from './1764339400000-materialization-housekeeping';

/** Every migration, in order. Listed explicitly so ts-jest and the compiled build load the same set. */
export const MIGRATIONS = [
  CatalogInit1764338400000,
  OfflineTables1764338500000,
  OnlineStore1764338600000,
  ModelRegistry1764338800000,
  MaterializationHousekeeping1764339400000,
  // New migrations go here, one line each, in timestamp order.
];
