import { CatalogInit1764338400000 } from './1764338400000-catalog-init';

/** Every migration, in order. Listed explicitly so ts-jest and the compiled build load the same set. */
export const MIGRATIONS = [CatalogInit1764338400000];
