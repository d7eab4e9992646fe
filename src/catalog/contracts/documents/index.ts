/** Public surface of the pure contract-documents layer (no database, no Nest). */
export * from './apply-issue';
export * from './content-hash';
export * from './contract-diff';
export * from './normalized-types';
export { DEFAULT_PARSE_LIMITS, parseContractFiles } from './parse-documents';
export type { ContractFile, ParseLimits } from './parse-documents';
export * from './raw-document';
export { OfficialSchemaValidator, ODCS_SCHEMA_FILE, ODPS_SCHEMA_FILE } from './official-schema-validator';
export { validateDocuments } from './validate-documents';
export { parseDurationSeconds } from './duration';
export { DEFAULT_DOMAIN, domainFromPath } from './normalize-product';
export { LOGICAL_TYPES, ODCS_API_VERSIONS } from './odcs.schema';
export type { LogicalType } from './odcs.schema';
export { ODPS_API_VERSIONS, PRODUCT_STATUSES, PRODUCT_TYPES } from './odps.schema';
export type { ProductStatus, ProductType } from './odps.schema';
export { JOIN_KEY_TYPES } from './tessera-v1.schema';
export type { JoinKeyType } from './tessera-v1.schema';
