import type { LogicalType } from './odcs.schema';
import type { ProductStatus, ProductType } from './odps.schema';
import type { QualityOperator } from './odcs-quality.schema';
import type {
  NormalizedDomain,
  NormalizedEntity,
  NormalizedFeatureService,
  NormalizedFeatureView,
  NormalizedModel,
  NormalizedPolicy,
  NormalizedStreamSource,
  NormalizedUseCase,
} from './normalized-tessera-types';

export type * from './normalized-tessera-types';

/**
 * Typed, defaulted views of validated documents: what the catalog stores. Absent optional
 * values are `null` (never `undefined`) so rows and GraphQL types map one to one. `raw` keeps the
 * original body for fields Tessera does not model.
 */
export interface NormalizedDescription {
  purpose: string | null;
  limitations: string | null;
  usage: string | null;
}

export interface NormalizedTeamMember {
  username: string;
  name: string | null;
  role: string | null;
}

export interface NormalizedTeam {
  name: string | null;
  description: string | null;
  members: NormalizedTeamMember[];
}

export interface NormalizedSupport {
  channel: string;
  url: string | null;
  tool: string | null;
  scope: string | null;
}

export const OUTPUT_PORT_TYPES = ['table', 'featureView', 'model', 'api', 'file'] as const;
export type KnownOutputPortType = (typeof OUTPUT_PORT_TYPES)[number];

export interface NormalizedInputPort {
  name: string;
  version: string;
  contractId: string;
}

export interface NormalizedOutputPort {
  name: string;
  version: string;
  /** A known type, or the author's string kept as-is (with a warning); null when absent. */
  type: KnownOutputPortType | (string & {}) | null;
  contractId: string | null;
  containsPii: boolean;
  autoApprove: boolean;
  description: string | null;
}

export interface NormalizedDataProduct {
  id: string;
  name: string;
  domain: string;
  status: ProductStatus;
  version: string | null;
  type: ProductType | null;
  description: NormalizedDescription;
  tags: string[];
  team: NormalizedTeam | null;
  inputPorts: NormalizedInputPort[];
  outputPorts: NormalizedOutputPort[];
  support: NormalizedSupport[];
  raw: Record<string, unknown>;
}

export interface NormalizedQualityRule {
  id: string | null;
  name: string | null;
  description: string | null;
  type: string;
  dimension: string | null;
  metric: string | null;
  query: string | null;
  engine: string | null;
  implementation: unknown;
  operator: QualityOperator | null;
  /** Operand of `operator` (number, array of two numbers, or anything for mustBe/mustNotBe). */
  threshold: unknown;
  unit: string | null;
  severity: string | null;
  businessImpact: string | null;
  schedule: string | null;
  scheduler: string | null;
  arguments: Record<string, unknown> | null;
  raw: Record<string, unknown>;
}

/** A quality rule with where it was declared, e.g. path `schema[0].properties[1]`, element `tbl.col`. */
export interface LocatedQualityRule extends NormalizedQualityRule {
  path: string;
  element: string;
}

export interface NormalizedProperty {
  name: string;
  physicalName: string | null;
  logicalType: LogicalType | null;
  physicalType: string | null;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
  primaryKeyPosition: number | null;
  partitioned: boolean;
  classification: string | null;
  description: string | null;
  businessName: string | null;
  tags: string[];
  logicalTypeOptions: Record<string, unknown> | null;
  quality: NormalizedQualityRule[];
  examples: unknown[];
  /** Nested fields of an object property (empty otherwise). */
  properties: NormalizedProperty[];
  /** Element type of an array property; its name is '' when the document gives none. */
  items: NormalizedProperty | null;
}

export interface NormalizedSchemaObject {
  name: string;
  physicalName: string | null;
  physicalType: string | null;
  businessName: string | null;
  description: string | null;
  tags: string[];
  properties: NormalizedProperty[];
  quality: NormalizedQualityRule[];
}

export interface NormalizedSlaProperty {
  property: string;
  value: string | number | boolean | null;
  unit: string | null;
  element: string | null;
  driver: string | null;
  description: string | null;
}

export interface NormalizedRole {
  role: string;
  access: string | null;
  description: string | null;
  firstLevelApprovers: string | null;
  secondLevelApprovers: string | null;
}

export interface NormalizedContract {
  id: string;
  version: string;
  apiVersion: string;
  status: string;
  name: string | null;
  domain: string | null;
  dataProduct: string | null;
  description: NormalizedDescription;
  tags: string[];
  schema: NormalizedSchemaObject[];
  quality: LocatedQualityRule[];
  slaProperties: NormalizedSlaProperty[];
  team: NormalizedTeam | null;
  roles: NormalizedRole[];
  support: NormalizedSupport[];
  raw: Record<string, unknown>;
}

/** Normalized value type of each document kind. */
export interface NormalizedDocumentMap {
  DataProduct: NormalizedDataProduct;
  DataContract: NormalizedContract;
  Domain: NormalizedDomain;
  UseCase: NormalizedUseCase;
  Entity: NormalizedEntity;
  FeatureView: NormalizedFeatureView;
  FeatureService: NormalizedFeatureService;
  Model: NormalizedModel;
  Policy: NormalizedPolicy;
  StreamSource: NormalizedStreamSource;
}

interface Located<K extends keyof NormalizedDocumentMap> {
  kind: K;
  file: string;
  docIndex: number;
  /** contentHash of the original body: unchanged documents can be skipped on re-apply. */
  hash: string;
  value: NormalizedDocumentMap[K];
}

/** A valid document, discriminated by `kind`. */
export type ValidatedDocument = { [K in keyof NormalizedDocumentMap]: Located<K> }[keyof NormalizedDocumentMap];
