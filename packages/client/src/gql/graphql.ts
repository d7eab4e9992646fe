/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format. */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** Who may read which output port, for what, until when (Bitol OAAS draft shape). */
export type AccessAgreement = {
  __typename?: 'AccessAgreement';
  consumer: AgreementParty;
  decidedAt?: Maybe<Scalars['DateTime']['output']>;
  decidedBy?: Maybe<Scalars['String']['output']>;
  endDate: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Personal (pii, restricted, sensitive) properties readable in clear; else they are masked. */
  piiAccess: Scalars['Boolean']['output'];
  provider: AgreementProvider;
  purpose: Scalars['String']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  requestedAt: Scalars['DateTime']['output'];
  requestedBy: Scalars['String']['output'];
  startDate: Scalars['DateTime']['output'];
  /** requested, approved, rejected, revoked or expired. */
  status: Scalars['String']['output'];
};

export type AccessRequestInput = {
  /** Defaults to the caller. */
  consumer?: InputMaybe<AgreementConsumerInput>;
  dataProduct: Scalars['String']['input'];
  endDate: Scalars['DateTime']['input'];
  outputPort: Scalars['String']['input'];
  piiAccess?: InputMaybe<Scalars['Boolean']['input']>;
  purpose: Scalars['String']['input'];
  startDate?: InputMaybe<Scalars['DateTime']['input']>;
};

export type AgreementConsumerInput = {
  id: Scalars['String']['input'];
  kind: ConsumerKind;
};

export type AgreementParty = {
  __typename?: 'AgreementParty';
  id: Scalars['String']['output'];
  kind: ConsumerKind;
};

export type AgreementProvider = {
  __typename?: 'AgreementProvider';
  dataProduct: Scalars['String']['output'];
  outputPort: Scalars['String']['output'];
};

/** An API key without its secret: only the first characters are kept for display. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  createdBy: Scalars['String']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  name?: Maybe<Scalars['String']['output']>;
  /** The first characters of the key, to tell keys apart. */
  prefix: Scalars['String']['output'];
  principalId: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  revokedBy?: Maybe<Scalars['String']['output']>;
};

export type ApplyChange = {
  __typename?: 'ApplyChange';
  /** created, updated or unchanged */
  action: Scalars['String']['output'];
  diff?: Maybe<Scalars['JSON']['output']>;
  file: Scalars['String']['output'];
  id: Scalars['String']['output'];
  impact?: Maybe<Scalars['String']['output']>;
  kind: Scalars['String']['output'];
  suggestedVersion?: Maybe<Scalars['String']['output']>;
  version?: Maybe<Scalars['String']['output']>;
};

export type ApplyIssue = {
  __typename?: 'ApplyIssue';
  docIndex?: Maybe<Scalars['Int']['output']>;
  file: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** Path inside the document, e.g. outputPorts[0].contractId ('' = whole document). */
  path: Scalars['String']['output'];
  severity: Scalars['String']['output'];
};

export type ApplyReport = {
  __typename?: 'ApplyReport';
  applied: Scalars['Boolean']['output'];
  changed: Scalars['Boolean']['output'];
  changes: Array<ApplyChange>;
  dryRun: Scalars['Boolean']['output'];
  errors: Array<ApplyIssue>;
  message: Scalars['String']['output'];
  summary: ApplySummary;
  warnings: Array<ApplyIssue>;
};

export type ApplySummary = {
  __typename?: 'ApplySummary';
  created: Scalars['Int']['output'];
  unchanged: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

/** One line of the append-only audit trail. */
export type AuditEntry = {
  __typename?: 'AuditEntry';
  action: Scalars['String']['output'];
  /** sha256 of the JSON of the result (or of the state after, when the service supplied it). */
  afterDigest?: Maybe<Scalars['String']['output']>;
  at: Scalars['DateTime']['output'];
  /** sha256 of the JSON of the state before, when the service supplied it. */
  beforeDigest?: Maybe<Scalars['String']['output']>;
  /** REST method and path, or GraphQL Mutation.field. */
  operation?: Maybe<Scalars['String']['output']>;
  outcome: AuditOutcome;
  /** Null when the caller could not be authenticated. */
  principalId?: Maybe<Scalars['String']['output']>;
  reason?: Maybe<Scalars['String']['output']>;
  requestId?: Maybe<Scalars['String']['output']>;
  resource: Scalars['String']['output'];
  seq: Scalars['ID']['output'];
};

export type AuditFilter = {
  action?: InputMaybe<Scalars['String']['input']>;
  /** Only entries older than this seq (paging). */
  beforeSeq?: InputMaybe<Scalars['ID']['input']>;
  outcome?: InputMaybe<AuditOutcome>;
  principalId?: InputMaybe<Scalars['String']['input']>;
  /** Substring of the resource. */
  resource?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};

/** allowed: the mutation succeeded; denied: authentication or authorization refused; failed: the mutation was allowed but raised an error. */
export type AuditOutcome =
  | 'allowed'
  | 'denied'
  | 'failed';

/** One batch scoring (precompute) job: a model version over entities as of a time, into its predictions port (ADR 0035). */
export type BatchScoringJob = {
  __typename?: 'BatchScoringJob';
  /** Features were read point-in-time as of this time, from the offline store. */
  asOf: Scalars['DateTime']['output'];
  /** Claims by a worker; above 1 the job was resumed after its process died. */
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Entities handled (scored or rejected). */
  done: Scalars['Float']['output'];
  /** Entities listed with the request; null: the whole population of the feature service as of asOf. */
  entityCount?: Maybe<Scalars['Float']['output']>;
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Rows new to the predictions port; a repeated job (same version, as-of) inserts none. */
  inserted: Scalars['Float']['output'];
  model: Scalars['String']['output'];
  /** Rows the online view refresh wrote to the online store. */
  onlineWritten?: Maybe<Scalars['Float']['output']>;
  /** done / total, 0..1. */
  progress: Scalars['Float']['output'];
  /** Entities the model's onMissing rule refused (features missing as of asOf): not written. */
  rejected: Scalars['Float']['output'];
  requestedBy: Scalars['String']['output'];
  scored: Scalars['Float']['output'];
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: BatchScoringJobStatus;
  /** Entities to score; null until started. */
  total?: Maybe<Scalars['Float']['output']>;
  /** api or schedule. */
  trigger: Scalars['String']['output'];
  version: Scalars['String']['output'];
};

export type BatchScoringJobStatus =
  | 'failed'
  | 'queued'
  | 'running'
  | 'succeeded';

export type CanaryDeployment = {
  __typename?: 'CanaryDeployment';
  /** Share of entities (0-100, sticky by join-key hash) the canary answers. */
  percent: Scalars['Float']['output'];
  version: Scalars['String']['output'];
};

export type ComplianceScorecard = {
  __typename?: 'ComplianceScorecard';
  activePolicies: Scalars['Int']['output'];
  complianceRate: Scalars['Float']['output'];
  compliantProducts: Scalars['Int']['output'];
  domains: Array<DomainScore>;
  evaluatedAt: Scalars['DateTime']['output'];
  policies: Array<PolicyScore>;
  products: Scalars['Int']['output'];
};

export type ConsumerKind =
  | 'dataProduct'
  | 'model'
  | 'principal'
  | 'team';

export type ContractChange = {
  __typename?: 'ContractChange';
  /** added, removed or changed */
  change: Scalars['String']['output'];
  /** The schema element, e.g. orders.customer_email. */
  element?: Maybe<Scalars['String']['output']>;
  field?: Maybe<Scalars['String']['output']>;
  from?: Maybe<Scalars['JSON']['output']>;
  /** MAJOR, MINOR or PATCH */
  impact: Scalars['String']['output'];
  path: Scalars['String']['output'];
  reason: Scalars['String']['output'];
  to?: Maybe<Scalars['JSON']['output']>;
};

export type ContractDiff = {
  __typename?: 'ContractDiff';
  breaking: Array<ContractChange>;
  changes: Array<ContractChange>;
  fromId: Scalars['String']['output'];
  fromVersion: Scalars['String']['output'];
  /** Highest impact: MAJOR, MINOR, PATCH or NONE. */
  impact: Scalars['String']['output'];
  suggestedVersion: Scalars['String']['output'];
  toId: Scalars['String']['output'];
  toVersion: Scalars['String']['output'];
};

export type ContractFileEncoding =
  | 'base64';

export type ContractFileInput = {
  /** YAML or JSON text (several YAML documents allowed), or base64 bytes when encoding is base64. */
  content: Scalars['String']['input'];
  /** base64: a binary attachment such as the .onnx file a Model document names; absent: text. */
  encoding?: InputMaybe<ContractFileEncoding>;
  /** Path of the file, e.g. contracts/rides/rides-trips.odps.yaml */
  path: Scalars['String']['input'];
};

export type ContractRefInput = {
  id: Scalars['String']['input'];
  /** A version applied before; the current one when omitted. */
  version?: InputMaybe<Scalars['String']['input']>;
};

/** One applied revision of a contract. */
export type ContractVersion = {
  __typename?: 'ContractVersion';
  appliedAt: Scalars['DateTime']['output'];
  changes: Array<ContractChange>;
  contentHash: Scalars['String']['output'];
  contractId: Scalars['String']['output'];
  /** INITIAL, MAJOR, MINOR or PATCH versus the previous revision. */
  impact: Scalars['String']['output'];
  sourceFile?: Maybe<Scalars['String']['output']>;
  version: Scalars['String']['output'];
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** The secret, shown this once: Tessera stores only its sha256. */
  key: Scalars['String']['output'];
  principal: Principal;
};

/** An ODCS v3 data contract, as currently applied. */
export type DataContract = {
  __typename?: 'DataContract';
  domain?: Maybe<Scalars['String']['output']>;
  id: Scalars['String']['output'];
  name?: Maybe<Scalars['String']['output']>;
  purpose?: Maybe<Scalars['String']['output']>;
  /** Quality rules, each with the path where it was declared. */
  quality: Scalars['JSON']['output'];
  roles: Scalars['JSON']['output'];
  schema: Array<SchemaObject>;
  slaProperties: Array<SlaProperty>;
  sourceFile?: Maybe<Scalars['String']['output']>;
  /** The document exactly as applied. */
  spec: Scalars['JSON']['output'];
  status: Scalars['String']['output'];
  support: Scalars['JSON']['output'];
  tags: Array<Scalars['String']['output']>;
  team?: Maybe<Scalars['JSON']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  version: Scalars['String']['output'];
};

/** An ODPS data product: one tile of the mesh. */
export type DataProduct = {
  __typename?: 'DataProduct';
  description: ProductDescription;
  domain: Scalars['String']['output'];
  id: Scalars['String']['output'];
  inputPorts: Array<InputPort>;
  name: Scalars['String']['output'];
  outputPorts: Array<OutputPort>;
  sourceFile?: Maybe<Scalars['String']['output']>;
  /** The ODPS document exactly as applied (the design canvas carries the fields it does not show through an edit). */
  spec: Scalars['JSON']['output'];
  status: DataProductStatus;
  support: Array<SupportChannel>;
  tags: Array<Scalars['String']['output']>;
  team?: Maybe<Team>;
  type?: Maybe<DataProductType>;
  updatedAt: Scalars['DateTime']['output'];
  version?: Maybe<Scalars['String']['output']>;
};

export type DataProductConnection = {
  __typename?: 'DataProductConnection';
  edges: Array<DataProductEdge>;
  facets: DataProductFacets;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type DataProductEdge = {
  __typename?: 'DataProductEdge';
  cursor: Scalars['String']['output'];
  /** Why it matched the search (empty without one). */
  matches: Array<SearchMatch>;
  node: DataProduct;
  /** Full-text rank (0 without a search). */
  rank: Scalars['Float']['output'];
};

/** Counts over every product the query selects (all pages). */
export type DataProductFacets = {
  __typename?: 'DataProductFacets';
  domains: Array<FacetCount>;
  statuses: Array<FacetCount>;
  tags: Array<FacetCount>;
  types: Array<FacetCount>;
};

/** Lifecycle: proposed → draft → active → deprecated → retired. */
export type DataProductStatus =
  | 'active'
  | 'deprecated'
  | 'draft'
  | 'proposed'
  | 'retired';

export type DataProductType =
  | 'aggregate'
  | 'consumerAligned'
  | 'sourceAligned';

export type Domain = {
  __typename?: 'Domain';
  description?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  productCount: Scalars['Int']['output'];
  team?: Maybe<Team>;
};

export type DomainScore = {
  __typename?: 'DomainScore';
  complianceRate: Scalars['Float']['output'];
  compliantProducts: Scalars['Int']['output'];
  domain: Scalars['String']['output'];
  policies: Array<PolicyScore>;
  products: Scalars['Int']['output'];
};

/** Budget of an SLO over its window: `time` (seconds it may be breached, objective 99%) or `requests` (reads that may fail). */
export type ErrorBudget = {
  __typename?: 'ErrorBudget';
  consumed: Scalars['Float']['output'];
  kind: Scalars['String']['output'];
  /** Share left: 1 untouched, 0 or less exhausted. */
  remaining: Scalars['Float']['output'];
  total: Scalars['Float']['output'];
};

export type FacetCount = {
  __typename?: 'FacetCount';
  count: Scalars['Int']['output'];
  value: Scalars['String']['output'];
};

/** One feature of a feature view, with where it comes from. */
export type Feature = {
  __typename?: 'Feature';
  dataProduct: Scalars['String']['output'];
  description?: Maybe<Scalars['String']['output']>;
  entities: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  online: Scalars['Boolean']['output'];
  outputPort: Scalars['String']['output'];
  /** `view:feature`, as feature services and retrieval requests name it. */
  reference: Scalars['String']['output'];
  tags: Array<Scalars['String']['output']>;
  /** Max age in seconds (0: none). */
  ttlSeconds: Scalars['Int']['output'];
  /** ODCS logicalType of the source column (null until the port has an offline table). */
  type?: Maybe<Scalars['String']['output']>;
  view: Scalars['String']['output'];
};

export type FeatureDrift = {
  __typename?: 'FeatureDrift';
  drifted: Scalars['Boolean']['output'];
  /** view:feature */
  feature: Scalars['String']['output'];
  /** Population stability index against the training dataset; null with too few serving rows. */
  psi?: Maybe<Scalars['Float']['output']>;
  /** Share of logged rows whose online value was not PRESENT (missing, null, stale), rejected rows included. */
  servingMissingRate: Scalars['Float']['output'];
  trainingMissingRate: Scalars['Float']['output'];
};

/** Status of one online value, as in Feast's feature server. */
export type FeatureStatus =
  | 'NOT_FOUND'
  | 'NULL_VALUE'
  | 'OUTSIDE_MAX_AGE'
  | 'PRESENT';

/** A term of a domain's ubiquitous language. */
export type GlossaryTerm = {
  __typename?: 'GlossaryTerm';
  definition: Scalars['String']['output'];
  domain: Scalars['String']['output'];
  /** Ids of the data products this term names. */
  products: Array<Scalars['String']['output']>;
  synonyms: Array<Scalars['String']['output']>;
  term: Scalars['String']['output'];
};

/** A point-in-time correct training set: one value per entity row in every column. */
export type HistoricalFeatures = {
  __typename?: 'HistoricalFeatures';
  /** Column name → values in entity row order: the entity columns as given (join keys normalized, event_timestamp as ISO-8601 UTC), then the features as requested (`feature`, or `view__feature` with fullFeatureNames). Integers beyond 2^53 come as strings. */
  columns: Scalars['JSON']['output'];
};

export type InputPort = {
  __typename?: 'InputPort';
  /** The upstream contract, when it is in the catalog. */
  contract?: Maybe<DataContract>;
  contractId: Scalars['String']['output'];
  name: Scalars['String']['output'];
  version: Scalars['String']['output'];
};

export type Lineage = {
  __typename?: 'Lineage';
  edges: Array<LineageEdge>;
  nodes: Array<LineageNode>;
};

export type LineageDirection =
  | 'BOTH'
  | 'DOWNSTREAM'
  | 'UPSTREAM';

/** Data flows from an output port of `from` into an input port of `to`. */
export type LineageEdge = {
  __typename?: 'LineageEdge';
  contractId: Scalars['String']['output'];
  from: Scalars['String']['output'];
  inputPort: Scalars['String']['output'];
  outputPort?: Maybe<Scalars['String']['output']>;
  to: Scalars['String']['output'];
};

export type LineageNode = {
  __typename?: 'LineageNode';
  /** Hops from the root: negative upstream, positive downstream. */
  distance: Scalars['Int']['output'];
  domain?: Maybe<Scalars['String']['output']>;
  id: Scalars['String']['output'];
  /** PRODUCT, or EXTERNAL for a contract no catalogued product publishes. */
  kind: Scalars['String']['output'];
  name: Scalars['String']['output'];
  status?: Maybe<Scalars['String']['output']>;
  type?: Maybe<Scalars['String']['output']>;
};

/** One run copying the latest offline rows of online feature views into the online store. */
export type MaterializationJob = {
  __typename?: 'MaterializationJob';
  createdAt: Scalars['DateTime']['output'];
  /** Exclusive end of the event-time interval. */
  endTs: Scalars['DateTime']['output'];
  error?: Maybe<Scalars['String']['output']>;
  featureViews: Array<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Each view started at its own watermark (startTs is then null). */
  incremental: Scalars['Boolean']['output'];
  /** Fraction of the views done, 0..1. */
  progress: Scalars['Float']['output'];
  rowsRead: Scalars['Float']['output'];
  /** Rows that were newer than the online store held. */
  rowsWritten: Scalars['Float']['output'];
  /** Inclusive start of the event-time interval. */
  startTs?: Maybe<Scalars['DateTime']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: MaterializationJobStatus;
  /** api or schedule. */
  trigger: Scalars['String']['output'];
};

export type MaterializationJobStatus =
  | 'failed'
  | 'queued'
  | 'running'
  | 'succeeded';

export type ModelCard = {
  __typename?: 'ModelCard';
  intendedUse?: Maybe<Scalars['String']['output']>;
  limitations?: Maybe<Scalars['String']['output']>;
  /** Evaluation metrics by name, e.g. {"auc": 0.81}. */
  metrics: Scalars['JSON']['output'];
  trainingDatasetId?: Maybe<Scalars['String']['output']>;
};

/** Which versions of a model serve predictions. */
export type ModelDeployment = {
  __typename?: 'ModelDeployment';
  canary?: Maybe<CanaryDeployment>;
  name: Scalars['String']['output'];
  /** Former production versions, most recent last: where rollback goes. */
  previous: Array<Scalars['String']['output']>;
  /** Answers every row not routed to the canary. */
  production: Scalars['String']['output'];
  revision: Scalars['Int']['output'];
  /** Score the same rows off the answer path; results only reach the prediction log. */
  shadows: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  updatedBy: Scalars['String']['output'];
};

/** One recorded deployment change. */
export type ModelDeploymentChange = {
  __typename?: 'ModelDeploymentChange';
  /** deploy, set_canary, clear_canary, add_shadow, remove_shadow, promote_canary or rollback. */
  action: Scalars['String']['output'];
  /** Deployment after. */
  after: Scalars['JSON']['output'];
  /** Deployment before: {production, canary, shadows, previous}; null for the first. */
  before?: Maybe<Scalars['JSON']['output']>;
  changedAt: Scalars['DateTime']['output'];
  /** Principal id of who made the change. */
  changedBy: Scalars['String']['output'];
  name: Scalars['String']['output'];
  seq: Scalars['Int']['output'];
};

/** Drift of a model version over consecutive windows of the prediction log, oldest first: PSI per feature over time. */
export type ModelDriftHistory = {
  __typename?: 'ModelDriftHistory';
  model: Scalars['String']['output'];
  threshold: Scalars['Float']['output'];
  trainingDataset: Scalars['String']['output'];
  trainingRows: Scalars['Float']['output'];
  version: Scalars['String']['output'];
  windowMinutes: Scalars['Int']['output'];
  /** One report per window, each as modelDrift answers for it. */
  windows: Array<ModelDriftReport>;
};

/** Feature and prediction drift of a model version: its prediction log against its training dataset. */
export type ModelDriftReport = {
  __typename?: 'ModelDriftReport';
  drifted: Scalars['Boolean']['output'];
  features: Array<FeatureDrift>;
  model: Scalars['String']['output'];
  notes: Array<Scalars['String']['output']>;
  predictions: Array<OutputDrift>;
  servingRows: Scalars['Float']['output'];
  since: Scalars['DateTime']['output'];
  threshold: Scalars['Float']['output'];
  trainingDataset: Scalars['String']['output'];
  trainingRows: Scalars['Float']['output'];
  until: Scalars['DateTime']['output'];
  version: Scalars['String']['output'];
};

/** One column of the model's `features` tensor, in order. */
export type ModelFeature = {
  __typename?: 'ModelFeature';
  /** Feature reference view:feature. */
  ref: Scalars['String']['output'];
  /** Logical type in the offline store; null when it could not be checked at registration. */
  type?: Maybe<Scalars['String']['output']>;
};

/** Lifecycle stage of a model version; at most one version of a model is in production. */
export type ModelStage =
  | 'archived'
  | 'production'
  | 'staging';

export type ModelStageChange = {
  __typename?: 'ModelStageChange';
  changedAt: Scalars['DateTime']['output'];
  changedBy: Scalars['String']['output'];
  /** null for the registration itself. */
  fromStage?: Maybe<ModelStage>;
  toStage: ModelStage;
};

/** An input or output tensor of a model. */
export type ModelTensor = {
  __typename?: 'ModelTensor';
  name: Scalars['String']['output'];
  /** Dimensions: numbers are fixed, strings symbolic (the batch, e.g. "N"), -1 unknown; null when not declared. */
  shape?: Maybe<Scalars['JSON']['output']>;
  /** Element type as onnxruntime names it: float32, int64, bool, string, ... */
  type: Scalars['String']['output'];
};

/** A registered, immutable ONNX model version bound to a feature service. */
export type ModelVersion = {
  __typename?: 'ModelVersion';
  /** Default per feature reference, used when onMissing is impute. */
  defaults: Scalars['JSON']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** The domain that owns the model: its role registers, stages and deploys it. Null for a model registered before models had domains (admin only). */
  domain?: Maybe<Scalars['String']['output']>;
  featureService: Scalars['String']['output'];
  features: Array<ModelFeature>;
  /** Inputs of the ONNX graph. */
  inputs: Array<ModelTensor>;
  modelCard: ModelCard;
  name: Scalars['String']['output'];
  onMissing: OnMissingFeature;
  /** Outputs of the ONNX graph. */
  outputs: Array<ModelTensor>;
  owner?: Maybe<Scalars['String']['output']>;
  registeredAt: Scalars['DateTime']['output'];
  registeredBy: Scalars['String']['output'];
  /** Inputs the caller sends with each prediction request. */
  requestInputs: Array<ModelTensor>;
  /** sha256 of the ONNX bytes: their address in the registry. */
  sha256: Scalars['String']['output'];
  sizeBytes: Scalars['Int']['output'];
  /** The Model document in contracts/, when registered by apply. */
  sourceFile?: Maybe<Scalars['String']['output']>;
  stage: ModelStage;
  stageChangedAt: Scalars['DateTime']['output'];
  stageChangedBy: Scalars['String']['output'];
  /** Every stage change of this version, oldest first, with who made it. */
  stageHistory: Array<ModelStageChange>;
  tags: Array<Scalars['String']['output']>;
  version: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Adds a shadow version: it scores every request off the answer path, into the prediction log. */
  addShadow: ModelDeployment;
  /** Applies ODPS, ODCS and tessera/v1 documents as one transaction. A rejected apply returns applied=false with every error. */
  applyContracts: ApplyReport;
  approveAccess: AccessAgreement;
  clearCanary: ModelDeployment;
  /** Issues an API key for a principal (created when new). With `roles`, the principal's grants become exactly these. The key is in the answer once and never again. */
  createApiKey: CreatedApiKey;
  /** Makes a version the production version (its stage becomes production; the previous one is archived and kept for rollback). */
  deployModel: ModelDeployment;
  /** Withdraws an active (or approved) policy: governance leads and admins. */
  deprecatePolicy: Policy;
  /** Evaluates the SLOs of one product (or of the whole mesh) now. */
  evaluateSlos: Array<SloState>;
  /** Materializes rows with event time in [startTs, endTs) of the given online views (default: all); returns when done. */
  materialize: MaterializationJob;
  /** Materializes each view from its watermark (the previous run's end) up to endTs. */
  materializeIncremental: MaterializationJob;
  /** Stops consuming the source on every replica (stored: restarts keep it); messages wait in the stream (lag grows). */
  pauseStreamSource: StreamSource;
  /** Makes the canary the production version. */
  promoteCanary: ModelDeployment;
  /** Proposes a tessera/v1 Policy document (YAML or JSON) as a draft revision. */
  proposePolicy: Policy;
  rejectAccess: AccessAgreement;
  removeShadow: ModelDeployment;
  /** Asks for access to an output port; non-PII ports with autoApprove approve at once. */
  requestAccess: AccessAgreement;
  /** Consumes the source again, on every replica, from where it stopped. */
  resumeStreamSource: StreamSource;
  /** Ends an agreement early: the port owner, or the consumer who asked. */
  revokeAccess: AccessAgreement;
  /** Revokes a key: refused at once by this replica, by every other replica within a second. */
  revokeApiKey: ApiKey;
  /** Back to the production version before the current one. */
  rollback: ModelDeployment;
  /** Evaluates the port's quality rules now (newest major version) and records the run. */
  runQualityChecks: QualityRun;
  /** Runs a point-in-time retrieval (as historicalFeatures) and stores its rows as the next version of `name`. */
  saveTrainingDataset: TrainingDataset;
  /** Queues a batch scoring job (same as POST /v1/models/{name}/batch-scoring): the version (default production) over `entities` (join key columns; default every entity of its feature service) as of `asOf` (default now). The same version, asOf and entities while queued or running answer that job. */
  scoreBatch: BatchScoringJob;
  /** Routes `percent` % of entities (sticky by join-key hash) to a canary version. */
  setCanary: ModelDeployment;
  /** Moves a version to a stage; promoting to production archives the previous production version. */
  setModelStage: ModelVersion;
  /** Sets the fraction (0..1) of a model's prediction requests that are logged, for all its versions; null removes the setting. */
  setPredictionLogSampleRate: PredictionLogSampleRate;
  /** Replaces a principal's role grants (in effect on every replica within a second). */
  setPrincipalRoles: Principal;
  /** Moves a draft into review; governance members can then vote. */
  submitPolicyForReview: Policy;
  /** A governance member votes on a policy in review; `domain` is needed only when they represent several. */
  votePolicy: Policy;
};


export type MutationAddShadowArgs = {
  name: Scalars['String']['input'];
  version: Scalars['String']['input'];
};


export type MutationApplyContractsArgs = {
  dryRun?: Scalars['Boolean']['input'];
  files: Array<ContractFileInput>;
};


export type MutationApproveAccessArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationClearCanaryArgs = {
  name: Scalars['String']['input'];
};


export type MutationCreateApiKeyArgs = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  principal: PrincipalInput;
  roles?: InputMaybe<Array<RoleGrantInput>>;
};


export type MutationDeployModelArgs = {
  name: Scalars['String']['input'];
  version: Scalars['String']['input'];
};


export type MutationDeprecatePolicyArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationEvaluateSlosArgs = {
  productId?: InputMaybe<Scalars['String']['input']>;
};


export type MutationMaterializeArgs = {
  endTs: Scalars['DateTime']['input'];
  featureViews?: InputMaybe<Array<Scalars['String']['input']>>;
  startTs: Scalars['DateTime']['input'];
};


export type MutationMaterializeIncrementalArgs = {
  endTs: Scalars['DateTime']['input'];
  featureViews?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type MutationPauseStreamSourceArgs = {
  name: Scalars['String']['input'];
};


export type MutationPromoteCanaryArgs = {
  name: Scalars['String']['input'];
};


export type MutationProposePolicyArgs = {
  document: Scalars['String']['input'];
};


export type MutationRejectAccessArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRemoveShadowArgs = {
  name: Scalars['String']['input'];
  version: Scalars['String']['input'];
};


export type MutationRequestAccessArgs = {
  input: AccessRequestInput;
};


export type MutationResumeStreamSourceArgs = {
  name: Scalars['String']['input'];
};


export type MutationRevokeAccessArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRollbackArgs = {
  name: Scalars['String']['input'];
};


export type MutationRunQualityChecksArgs = {
  port: Scalars['String']['input'];
  productId: Scalars['String']['input'];
};


export type MutationSaveTrainingDatasetArgs = {
  input: SaveTrainingDatasetInput;
};


export type MutationScoreBatchArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  entities?: InputMaybe<Scalars['JSON']['input']>;
  name: Scalars['String']['input'];
  version?: InputMaybe<Scalars['String']['input']>;
};


export type MutationSetCanaryArgs = {
  name: Scalars['String']['input'];
  percent: Scalars['Float']['input'];
  version: Scalars['String']['input'];
};


export type MutationSetModelStageArgs = {
  name: Scalars['String']['input'];
  stage: ModelStage;
  version: Scalars['String']['input'];
};


export type MutationSetPredictionLogSampleRateArgs = {
  model: Scalars['String']['input'];
  sampleRate?: InputMaybe<Scalars['Float']['input']>;
};


export type MutationSetPrincipalRolesArgs = {
  principalId: Scalars['String']['input'];
  roles: Array<RoleGrantInput>;
};


export type MutationSubmitPolicyForReviewArgs = {
  id: Scalars['ID']['input'];
};


export type MutationVotePolicyArgs = {
  comment: Scalars['String']['input'];
  domain?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  vote: VoteChoice;
};

/** What prediction does with a missing or stale feature: reject the row, or impute the declared default. */
export type OnMissingFeature =
  | 'impute'
  | 'reject';

/** One column: a value, status and event timestamp per entity row. */
export type OnlineFeatureColumn = {
  __typename?: 'OnlineFeatureColumn';
  /** ISO-8601; 1970-01-01T00:00:00Z when not found. */
  eventTimestamps: Array<Scalars['String']['output']>;
  statuses: Array<FeatureStatus>;
  values: Array<Maybe<Scalars['JSON']['output']>>;
};

/** The content of Feast's get-online-features response. */
export type OnlineFeatures = {
  __typename?: 'OnlineFeatures';
  metadata: OnlineFeaturesMetadata;
  results: Array<OnlineFeatureColumn>;
};

export type OnlineFeaturesMetadata = {
  __typename?: 'OnlineFeaturesMetadata';
  /** Join key columns first, then one name per requested feature. */
  featureNames: Array<Scalars['String']['output']>;
};

export type OutputDrift = {
  __typename?: 'OutputDrift';
  drifted: Scalars['Boolean']['output'];
  output: Scalars['String']['output'];
  psi?: Maybe<Scalars['Float']['output']>;
};

export type OutputPort = {
  __typename?: 'OutputPort';
  autoApprove: Scalars['Boolean']['output'];
  containsPii: Scalars['Boolean']['output'];
  contract?: Maybe<DataContract>;
  contractId?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** table, featureView, model, api or file. */
  type?: Maybe<Scalars['String']['output']>;
  version: Scalars['String']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Policy = {
  __typename?: 'Policy';
  activatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** interoperability, documentation, security, privacy or compliance */
  category: Scalars['String']['output'];
  consequences: Scalars['String']['output'];
  context: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  decidedAt?: Maybe<Scalars['DateTime']['output']>;
  decision: Scalars['String']['output'];
  effectiveFrom?: Maybe<Scalars['DateTime']['output']>;
  /** name@revision */
  id: Scalars['String']['output'];
  message: Scalars['String']['output'];
  name: Scalars['String']['output'];
  proposedBy: Scalars['String']['output'];
  revision: Scalars['Int']['output'];
  /** CEL expression over product, ports, contracts, properties, changes (ADR 0010). */
  rule: Scalars['String']['output'];
  /** blocking or warning */
  severity: Scalars['String']['output'];
  sourceFile?: Maybe<Scalars['String']['output']>;
  status: PolicyStatus;
  /** Why the status is what it is (tally, deprecation reason, bootstrap). */
  statusReason?: Maybe<Scalars['String']['output']>;
  submittedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The current tally of the votes against the quorum. */
  tally: PolicyTally;
  title: Scalars['String']['output'];
  /** Every vote cast, oldest first (a later vote of a member replaces their earlier one in the tally). */
  votes: Array<PolicyVote>;
};

export type PolicyResult = {
  __typename?: 'PolicyResult';
  category: Scalars['String']['output'];
  error?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** pass, fail or error (the rule could not be evaluated) */
  outcome: Scalars['String']['output'];
  policyId: Scalars['String']['output'];
  severity: Scalars['String']['output'];
  title: Scalars['String']['output'];
  violations: Array<PolicyViolation>;
};

export type PolicyScore = {
  __typename?: 'PolicyScore';
  errored: Scalars['Int']['output'];
  evaluated: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** Percentage of evaluated products passing. */
  passRate: Scalars['Float']['output'];
  passed: Scalars['Int']['output'];
  policyId: Scalars['String']['output'];
  severity: Scalars['String']['output'];
};

/** draft → in_review → approved | rejected; approved → active at effectiveFrom → deprecated | superseded. */
export type PolicyStatus =
  | 'active'
  | 'approved'
  | 'deprecated'
  | 'draft'
  | 'in_review'
  | 'rejected'
  | 'superseded';

export type PolicyTally = {
  __typename?: 'PolicyTally';
  approvingDomains: Array<Scalars['String']['output']>;
  blockedBy?: Maybe<Scalars['String']['output']>;
  /** approved, rejected or open */
  outcome: Scalars['String']['output'];
  quorum: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
  rejectingDomains: Array<Scalars['String']['output']>;
};

export type PolicyViolation = {
  __typename?: 'PolicyViolation';
  /** Path in the product document, or contractId#path in a contract ('' = the product). */
  path: Scalars['String']['output'];
  reason: Scalars['String']['output'];
};

export type PolicyVote = {
  __typename?: 'PolicyVote';
  castAt: Scalars['DateTime']['output'];
  comment: Scalars['String']['output'];
  /** Domain the voter represented. */
  domain: Scalars['String']['output'];
  vote: VoteChoice;
  voter: Scalars['String']['output'];
};

/** Entity rows to score, column-major like POST /v1/models/{name}/predict. */
export type PredictInput = {
  /** Join key -> one value per row, e.g. {"driver_id": [1001, 1002]}. */
  entities: Scalars['JSON']['input'];
  /** Request-time input -> one value (or array) per row. */
  requestFeatures?: InputMaybe<Scalars['JSON']['input']>;
};

export type Prediction = {
  __typename?: 'Prediction';
  model: PredictionModelRef;
  /** Output name -> one value per row (null for rejected rows). */
  outputs: Scalars['JSON']['output'];
  /** Shared with the prediction log entries of this call. */
  requestId: Scalars['String']['output'];
  rows: Array<PredictionRow>;
};

/** One sampled scored (or rejected) row of a prediction request. */
export type PredictionLogEntry = {
  __typename?: 'PredictionLogEntry';
  at: Scalars['DateTime']['output'];
  /** Entity key values by join key. */
  entity: Scalars['JSON']['output'];
  /** Feature values used (after imputation) by feature reference. */
  features: Scalars['JSON']['output'];
  /** Row id in the log (orders rows within one millisecond). */
  id: Scalars['String']['output'];
  /** End-to-end latency of the predict call (features + model), ms. */
  latencyMs: Scalars['Float']['output'];
  model: Scalars['String']['output'];
  /** Model outputs by output name; empty for a rejected row. */
  outputs: Scalars['JSON']['output'];
  /** Why the row was rejected instead of scored. */
  rejected?: Maybe<Scalars['String']['output']>;
  /** Shared by every row, and every version (production, canary, shadow), of one predict call. */
  requestId: Scalars['String']['output'];
  role: PredictionLogRole;
  /** Per feature: PRESENT, NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE or IMPUTED. */
  statuses: Scalars['JSON']['output'];
  version: Scalars['String']['output'];
};

/** Order by the time of the prediction: asc oldest first, desc newest first. */
export type PredictionLogOrder =
  | 'asc'
  | 'desc';

/** How a model version came to score a row: the production version, a canary, or a shadow (scored, never answered). */
export type PredictionLogRole =
  | 'canary'
  | 'production'
  | 'shadow';

/** The per-model sample rate of the prediction log. */
export type PredictionLogSampleRate = {
  __typename?: 'PredictionLogSampleRate';
  model: Scalars['String']['output'];
  /** Fraction of requests logged, 0..1; null: no setting (each version uses its document's predictionLog.sampleRate, else 1). */
  sampleRate?: Maybe<Scalars['Float']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  updatedBy?: Maybe<Scalars['String']['output']>;
};

/** Counters of this instance's prediction log writer since start. */
export type PredictionLogStats = {
  __typename?: 'PredictionLogStats';
  /** Entries waiting for the next flush. */
  buffered: Scalars['Int']['output'];
  /** Dropped because the buffer was full. */
  dropped: Scalars['Int']['output'];
  /** Lost to write failures. */
  failed: Scalars['Int']['output'];
  flushes: Scalars['Int']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  /** Not kept by sampling. */
  sampledOut: Scalars['Int']['output'];
  written: Scalars['Int']['output'];
};

export type PredictionModelRef = {
  __typename?: 'PredictionModelRef';
  name: Scalars['String']['output'];
  /** The version that answered; with a canary split inside one request, the production version (see rows.version). */
  version: Scalars['String']['output'];
};

export type PredictionRow = {
  __typename?: 'PredictionRow';
  /** Feature values fed to the model by view:feature (after imputation). */
  features: Scalars['JSON']['output'];
  /** Why the row was not scored (its outputs are null). */
  rejected?: Maybe<Scalars['String']['output']>;
  /** production or canary. */
  role: Scalars['String']['output'];
  /** Per feature: PRESENT, NOT_FOUND, NULL_VALUE, OUTSIDE_MAX_AGE or IMPUTED. */
  statuses: Scalars['JSON']['output'];
  /** The version that scored or rejected this row. */
  version: Scalars['String']['output'];
};

/** A person or a service that calls Tessera, with its roles. */
export type Principal = {
  __typename?: 'Principal';
  displayName: Scalars['String']['output'];
  /** `person:<name>` or `service:<name>`; `admin` for the bootstrap key. */
  id: Scalars['String']['output'];
  kind: PrincipalKind;
  roles: Array<RoleGrant>;
  /** How this caller authenticated (bootstrap, api_key, oidc); set on `me` only. */
  via?: Maybe<Scalars['String']['output']>;
};

export type PrincipalInput = {
  /** Defaults to the id. */
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** `person:<name>` or `service:<name>`. */
  id: Scalars['String']['input'];
  kind: PrincipalKind;
};

export type PrincipalKind =
  | 'person'
  | 'service';

export type ProductCompliance = {
  __typename?: 'ProductCompliance';
  /** No blocking policy fails or errors. */
  compliant: Scalars['Boolean']['output'];
  domain: Scalars['String']['output'];
  evaluatedAt: Scalars['DateTime']['output'];
  productId: Scalars['String']['output'];
  results: Array<PolicyResult>;
  status: Scalars['String']['output'];
};

export type ProductDescription = {
  __typename?: 'ProductDescription';
  limitations?: Maybe<Scalars['String']['output']>;
  purpose?: Maybe<Scalars['String']['output']>;
  usage?: Maybe<Scalars['String']['output']>;
};

export type ProductSloSummary = {
  __typename?: 'ProductSloSummary';
  atRisk: Scalars['Float']['output'];
  breached: Scalars['Float']['output'];
  domain: Scalars['String']['output'];
  met: Scalars['Float']['output'];
  productId: Scalars['String']['output'];
  slos: Array<SloState>;
};

/** One ODCS quality rule evaluated in a run. */
export type QualityRuleResult = {
  __typename?: 'QualityRuleResult';
  /** Whether a failure rejects an ingest (severity error, critical, blocker or fatal). */
  blocking: Scalars['Boolean']['output'];
  description?: Maybe<Scalars['String']['output']>;
  dimension?: Maybe<Scalars['String']['output']>;
  /** ODCS element the rule is about: table or table.column. */
  element: Scalars['String']['output'];
  /** library, sql, skipped (text and custom rules) or invalid (a declaration Tessera cannot run). */
  kind: Scalars['String']['output'];
  /** Measured value in the unit; null when nothing could be measured. */
  measured?: Maybe<Scalars['Float']['output']>;
  message: Scalars['String']['output'];
  /** Library metric (nullValues, missingValues, invalidValues, duplicateValues, rowCount). */
  metric?: Maybe<Scalars['String']['output']>;
  operator?: Maybe<Scalars['String']['output']>;
  /** Where the rule is declared in the contract, e.g. schema[0].properties[1].quality[0]. */
  path: Scalars['String']['output'];
  /** SQL of a sql rule, as declared. */
  query?: Maybe<Scalars['String']['output']>;
  /** The rule id, when the contract gives one. */
  ruleId?: Maybe<Scalars['String']['output']>;
  severity?: Maybe<Scalars['String']['output']>;
  /** passed, failed, error or skipped. */
  status: Scalars['String']['output'];
  /** The operator's operand (number, or [low, high]). */
  threshold?: Maybe<Scalars['JSON']['output']>;
  /** rows or percent (of the table rows). */
  unit: Scalars['String']['output'];
};

/** One evaluation of an output port's quality rules against its offline table. */
export type QualityRun = {
  __typename?: 'QualityRun';
  contractId: Scalars['String']['output'];
  contractVersion: Scalars['String']['output'];
  errorCount: Scalars['Int']['output'];
  failedCount: Scalars['Int']['output'];
  finishedAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Ingest runs: whether the batch was stored. */
  ingestAccepted?: Maybe<Scalars['Boolean']['output']>;
  major: Scalars['Int']['output'];
  /** passed; warned (only non-blocking rules failed); failed (a blocking rule failed or could not run). */
  outcome: Scalars['String']['output'];
  passedCount: Scalars['Int']['output'];
  port: Scalars['String']['output'];
  productId: Scalars['String']['output'];
  results: Array<QualityRuleResult>;
  skippedCount: Scalars['Int']['output'];
  startedAt: Scalars['DateTime']['output'];
  /** ingest, schedule or api. */
  trigger: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Agreements, newest first; page with `first` and `after`. */
  accessAgreements: Array<AccessAgreement>;
  /** API keys without their secrets. */
  apiKeys: Array<ApiKey>;
  /** The audit trail, newest first (admins and governance members); at most 1000 entries per call. */
  auditLog: Array<AuditEntry>;
  batchScoringJob: BatchScoringJob;
  /** Newest first, optionally of one model. */
  batchScoringJobs: Array<BatchScoringJob>;
  /** Every active policy evaluated over one data product: pass, fail or error with reasons. */
  compliance: ProductCompliance;
  /** Mesh-wide compliance with the active policies, per domain and per policy. */
  complianceScorecard: ComplianceScorecard;
  /** Changes from one contract (version) to another, with their impact. */
  contractDiff: ContractDiff;
  /** Applied revisions of a contract, newest first. */
  contractHistory: Array<ContractVersion>;
  dataContract: DataContract;
  dataProduct: DataProduct;
  /** Data products, ranked by full-text relevance when `search` is given. */
  dataProducts: DataProductConnection;
  /** The current deployment; null when never deployed (predict then uses the production-stage version). */
  deployment?: Maybe<ModelDeployment>;
  /** Deployment changes of a model, oldest first (the last `limit`). */
  deploymentHistory: Array<ModelDeploymentChange>;
  domains: Array<Domain>;
  /** Features by name/description/tag text, logical type, owning data product and tags (all of). */
  features: Array<Feature>;
  glossary: Array<GlossaryTerm>;
  /** Point-in-time feature values for entity rows (as POST /v1/historical-features), for small requests: at most 10000 rows. Give features or featureService, and entities or entitiesFrom. Large ones: startTrainingDatasetJob. */
  historicalFeatures: HistoricalFeatures;
  /** Lineage derived from input ports → upstream output port contracts. */
  lineage: Lineage;
  materializationJob: MaterializationJob;
  /** Newest first. */
  materializationJobs: Array<MaterializationJob>;
  /** The caller, with its roles. */
  me: Principal;
  /** Every product’s SLOs as last evaluated, with counts per status. */
  meshSloStatus: Array<ProductSloSummary>;
  /** One model version; without `version`, the production version, else the highest registered. */
  model: ModelVersion;
  /** Drift of a model version (default: its production version) over [since, until) (default: the last TESSERA_DRIFT_WINDOW_HOURS). */
  modelDrift: ModelDriftReport;
  /** Drift of a model version (default: its production version) over `windows` consecutive windows of `windowMinutes` (default: TESSERA_DRIFT_WINDOW_HOURS) ending at `until` (default: now), oldest first; at most 48 windows. */
  modelDriftHistory: ModelDriftHistory;
  /** Model versions matching all search words (name, version, owner, description, tags, features, inputs, outputs), newest version first per model. */
  models: Array<ModelVersion>;
  /** Latest feature values of entities from the online store (same content as POST /get-online-features). */
  onlineFeatures: OnlineFeatures;
  /** Policy revisions, optionally of one status, by name and revision. */
  policies: Array<Policy>;
  /** One policy revision by id (name@revision). */
  policy: Policy;
  /** Scores entity rows with the model's deployment (same as POST /v1/models/{name}/predict). */
  predict: Prediction;
  /** Sampled prediction log entries of a model, newest first by default (at most 1000); since inclusive, until exclusive. Bulk export: GET /v1/models/{name}/prediction-log as Arrow. */
  predictionLog: Array<PredictionLogEntry>;
  /** The per-model sample rate setting of the prediction log. */
  predictionLogSampleRate: PredictionLogSampleRate;
  /** Buffer and write counters of this instance's prediction log writer. */
  predictionLogStats: PredictionLogStats;
  principals: Array<Principal>;
  /** Data quality runs of an output port (every major version), newest first, with each rule's result. */
  qualityRuns: Array<QualityRun>;
  /** Registry documents, optionally of one kind and matching a search string. */
  registryObjects: Array<RegistryObject>;
  /** Measured SLOs of a data product’s table output ports as last evaluated (by the schedule or evaluateSlos); empty before the first evaluation. Never evaluates. */
  sloStatus: Array<SloState>;
  /** Applied stream sources with their consumer state on this replica. */
  streamSources: Array<StreamSource>;
  /** One version of a training dataset (the newest when version is omitted). */
  trainingDataset: TrainingDataset;
  /** Saved training datasets, by name then newest version first; only the versions of `name` when given. */
  trainingDatasets: Array<TrainingDataset>;
  useCases: Array<UseCase>;
  /** The caller and the actions it may take somewhere (for the portal). */
  viewer: Viewer;
};


export type QueryAccessAgreementsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  consumerId?: InputMaybe<Scalars['String']['input']>;
  dataProduct?: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
  status?: InputMaybe<Scalars['String']['input']>;
};


export type QueryApiKeysArgs = {
  includeRevoked?: Scalars['Boolean']['input'];
  principalId?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAuditLogArgs = {
  filter?: InputMaybe<AuditFilter>;
  limit?: Scalars['Int']['input'];
};


export type QueryBatchScoringJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryBatchScoringJobsArgs = {
  first?: Scalars['Int']['input'];
  model?: InputMaybe<Scalars['String']['input']>;
};


export type QueryComplianceArgs = {
  productId: Scalars['String']['input'];
};


export type QueryContractDiffArgs = {
  from: ContractRefInput;
  to: ContractRefInput;
};


export type QueryContractHistoryArgs = {
  id: Scalars['String']['input'];
};


export type QueryDataContractArgs = {
  id: Scalars['String']['input'];
};


export type QueryDataProductArgs = {
  id: Scalars['String']['input'];
};


export type QueryDataProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  domain?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<DataProductStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  type?: InputMaybe<DataProductType>;
};


export type QueryDeploymentArgs = {
  name: Scalars['String']['input'];
};


export type QueryDeploymentHistoryArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
};


export type QueryFeaturesArgs = {
  dataProduct?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  type?: InputMaybe<Scalars['String']['input']>;
};


export type QueryGlossaryArgs = {
  domain?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryHistoricalFeaturesArgs = {
  entities?: InputMaybe<Scalars['JSON']['input']>;
  entitiesFrom?: InputMaybe<Scalars['JSON']['input']>;
  featureService?: InputMaybe<Scalars['String']['input']>;
  features?: InputMaybe<Array<Scalars['String']['input']>>;
  fullFeatureNames?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryLineageArgs = {
  depth?: Scalars['Int']['input'];
  direction?: LineageDirection;
  id: Scalars['String']['input'];
};


export type QueryMaterializationJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMaterializationJobsArgs = {
  first?: Scalars['Int']['input'];
};


export type QueryModelArgs = {
  name: Scalars['String']['input'];
  version?: InputMaybe<Scalars['String']['input']>;
};


export type QueryModelDriftArgs = {
  name: Scalars['String']['input'];
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  version?: InputMaybe<Scalars['String']['input']>;
};


export type QueryModelDriftHistoryArgs = {
  name: Scalars['String']['input'];
  until?: InputMaybe<Scalars['DateTime']['input']>;
  version?: InputMaybe<Scalars['String']['input']>;
  windowMinutes?: InputMaybe<Scalars['Int']['input']>;
  windows?: Scalars['Int']['input'];
};


export type QueryModelsArgs = {
  name?: InputMaybe<Scalars['String']['input']>;
  owner?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  stage?: InputMaybe<ModelStage>;
};


export type QueryOnlineFeaturesArgs = {
  entities: Scalars['JSON']['input'];
  featureService?: InputMaybe<Scalars['String']['input']>;
  features?: InputMaybe<Array<Scalars['String']['input']>>;
  fullFeatureNames?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryPoliciesArgs = {
  status?: InputMaybe<PolicyStatus>;
};


export type QueryPolicyArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPredictArgs = {
  input: PredictInput;
  name: Scalars['String']['input'];
};


export type QueryPredictionLogArgs = {
  limit?: Scalars['Int']['input'];
  model: Scalars['String']['input'];
  order?: PredictionLogOrder;
  role?: InputMaybe<PredictionLogRole>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  version?: InputMaybe<Scalars['String']['input']>;
};


export type QueryPredictionLogSampleRateArgs = {
  model: Scalars['String']['input'];
};


export type QueryQualityRunsArgs = {
  first?: Scalars['Int']['input'];
  port: Scalars['String']['input'];
  productId: Scalars['String']['input'];
};


export type QueryRegistryObjectsArgs = {
  kind?: InputMaybe<RegistryKind>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QuerySloStatusArgs = {
  productId: Scalars['String']['input'];
};


export type QueryTrainingDatasetArgs = {
  name: Scalars['String']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTrainingDatasetsArgs = {
  first?: Scalars['Int']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Kinds of tessera/v1 registry documents. */
export type RegistryKind =
  | 'Entity'
  | 'FeatureService'
  | 'FeatureView'
  | 'Model';

/** A tessera/v1 registry document (Entity, FeatureView, FeatureService, Model) as applied. */
export type RegistryObject = {
  __typename?: 'RegistryObject';
  contentHash: Scalars['String']['output'];
  kind: RegistryKind;
  name: Scalars['String']['output'];
  sourceFile?: Maybe<Scalars['String']['output']>;
  /** The normalized document. */
  spec: Scalars['JSON']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Version for kinds that carry one (Model); empty otherwise. */
  version: Scalars['String']['output'];
};

/** governance_member, domain_owner and domain_member are held in one domain; the others mesh-wide. governance_lead withdraws policies. */
export type Role =
  | 'admin'
  | 'consumer'
  | 'domain_member'
  | 'domain_owner'
  | 'governance_lead'
  | 'governance_member'
  | 'model_service';

export type RoleGrant = {
  __typename?: 'RoleGrant';
  /** The domain of a domain-scoped role. */
  domain?: Maybe<Scalars['String']['output']>;
  role: Role;
};

export type RoleGrantInput = {
  domain?: InputMaybe<Scalars['String']['input']>;
  role: Role;
};

/** The POST /v1/historical-features request plus a name; saved as the next version of that name. */
export type SaveTrainingDatasetInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** Columns: the join keys of every requested view, event_timestamp, and any extra columns to keep. */
  entities?: InputMaybe<Scalars['JSON']['input']>;
  /** Instead of entities: {dataProduct, outputPort, columns, timestamp?, from?, to?}, the rows of an output port you may read (as POST /v1/training-datasets entities_from). */
  entitiesFrom?: InputMaybe<Scalars['JSON']['input']>;
  featureService?: InputMaybe<Scalars['String']['input']>;
  /** `view:feature` references, in output order. */
  features?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Name outputs `view__feature`. */
  fullFeatureNames?: InputMaybe<Scalars['Boolean']['input']>;
  /** Lowercase letter, then lowercase letters, digits, _ or - (at most 50). */
  name: Scalars['String']['input'];
};

export type SchemaObject = {
  __typename?: 'SchemaObject';
  businessName?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  physicalName?: Maybe<Scalars['String']['output']>;
  physicalType?: Maybe<Scalars['String']['output']>;
  properties: Array<SchemaProperty>;
  quality: Scalars['JSON']['output'];
};

/** An ODCS schema property (a column of a table port). */
export type SchemaProperty = {
  __typename?: 'SchemaProperty';
  businessName?: Maybe<Scalars['String']['output']>;
  classification?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  logicalType?: Maybe<Scalars['String']['output']>;
  logicalTypeOptions?: Maybe<Scalars['JSON']['output']>;
  name: Scalars['String']['output'];
  physicalName?: Maybe<Scalars['String']['output']>;
  physicalType?: Maybe<Scalars['String']['output']>;
  primaryKey: Scalars['Boolean']['output'];
  primaryKeyPosition?: Maybe<Scalars['Int']['output']>;
  /** ODCS quality rules declared on this property. */
  quality: Scalars['JSON']['output'];
  required: Scalars['Boolean']['output'];
  tags: Array<Scalars['String']['output']>;
  unique: Scalars['Boolean']['output'];
};

/** Why a product matched a search: one part of it holding a search word. */
export type SearchMatch = {
  __typename?: 'SearchMatch';
  field: SearchMatchField;
  /** For a glossary synonym: the term it is a synonym of. */
  term?: Maybe<Scalars['String']['output']>;
  /** The matching text: the tag, the glossary term or synonym, the contract field name, the name or description. */
  value: Scalars['String']['output'];
};

/** Where a search word was found: fieldName/fieldDescription are a column of an output port contract. */
export type SearchMatchField =
  | 'description'
  | 'domain'
  | 'fieldDescription'
  | 'fieldName'
  | 'glossarySynonym'
  | 'glossaryTerm'
  | 'name'
  | 'tag';

/** One of the port's SLOs (ODCS slaProperties). */
export type SlaProperty = {
  __typename?: 'SlaProperty';
  description?: Maybe<Scalars['String']['output']>;
  driver?: Maybe<Scalars['String']['output']>;
  element?: Maybe<Scalars['String']['output']>;
  property: Scalars['String']['output'];
  unit?: Maybe<Scalars['String']['output']>;
  value?: Maybe<Scalars['JSON']['output']>;
};

export type SloEvaluation = {
  __typename?: 'SloEvaluation';
  evaluatedAt: Scalars['DateTime']['output'];
  measured?: Maybe<Scalars['Float']['output']>;
  status: SloStatus;
};

/** One SLO of an output port as last measured from real data. */
export type SloState = {
  __typename?: 'SloState';
  /** The target as the contract declares it, e.g. "1 h". */
  declared: Scalars['String']['output'];
  errorBudget: ErrorBudget;
  evaluatedAt: Scalars['DateTime']['output'];
  /** What the measurement is based on (newest event, last load, read counts...). */
  evidence: Scalars['JSON']['output'];
  /** Latest evaluations, newest first. */
  history: Array<SloEvaluation>;
  /** Null when there is nothing to measure yet. */
  measured?: Maybe<Scalars['Float']['output']>;
  port: Scalars['String']['output'];
  productId: Scalars['String']['output'];
  /** offline (the offline table), online:<view> (its last materialization) or reads. */
  scope: Scalars['String']['output'];
  /** latency, frequency, availability or retention. */
  slo: Scalars['String']['output'];
  status: SloStatus;
  /** In `unit`. */
  target: Scalars['Float']['output'];
  /** seconds or percent. */
  unit: Scalars['String']['output'];
};

export type SloStatus =
  | 'at_risk'
  | 'breached'
  | 'met';

/** Messages of a NATS JetStream subject ingested as rows of a table output port; counters are this replica’s since it started. */
export type StreamSource = {
  __typename?: 'StreamSource';
  batches: Scalars['Float']['output'];
  dataProduct: Scalars['String']['output'];
  /** Messages copied to the dead-letter subject. */
  deadLettered: Scalars['Float']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** Messages not yet acknowledged (pending and in flight), from the broker; null until first read. */
  lag?: Maybe<Scalars['Float']['output']>;
  lastError?: Maybe<Scalars['String']['output']>;
  /** Deliveries of a message before it goes to tessera.dlq.<name>. */
  maxDeliver: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  outputPort: Scalars['String']['output'];
  /** Paused (a pause is shared by every replica and kept across restarts). */
  paused: Scalars['Boolean']['output'];
  /** False when streaming is off (no NATS_URL) or the source could not start (see lastError). */
  running: Scalars['Boolean']['output'];
  /** Messages whose rows are stored (new or already stored). */
  stored: Scalars['Float']['output'];
  stream: Scalars['String']['output'];
  subject: Scalars['String']['output'];
};

export type SupportChannel = {
  __typename?: 'SupportChannel';
  channel: Scalars['String']['output'];
  scope?: Maybe<Scalars['String']['output']>;
  tool?: Maybe<Scalars['String']['output']>;
  url?: Maybe<Scalars['String']['output']>;
};

export type Team = {
  __typename?: 'Team';
  description?: Maybe<Scalars['String']['output']>;
  members: Array<TeamMember>;
  name?: Maybe<Scalars['String']['output']>;
};

export type TeamMember = {
  __typename?: 'TeamMember';
  name?: Maybe<Scalars['String']['output']>;
  role?: Maybe<Scalars['String']['output']>;
  username: Scalars['String']['output'];
};

/** A saved point-in-time retrieval: one immutable version of a named training dataset. */
export type TrainingDataset = {
  __typename?: 'TrainingDataset';
  columns: Array<TrainingDatasetColumn>;
  createdAt: Scalars['DateTime']['output'];
  /** Principal id of who saved it. */
  createdBy: Scalars['String']['output'];
  description?: Maybe<Scalars['String']['output']>;
  featureRefs: Array<Scalars['String']['output']>;
  featureService?: Maybe<Scalars['String']['output']>;
  featureViews: Array<TrainingDatasetFeatureView>;
  fullFeatureNames: Scalars['Boolean']['output'];
  /** `name@version`, also the table name in the tessera_datasets schema. */
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  rowCount: Scalars['Int']['output'];
  /** Rows [offset, offset + limit) as columns (name → values in request row order), as historicalFeatures answered them; at most 10000 rows. Large exports: GET /v1/training-datasets/{name}/versions/{version}/rows as Arrow. */
  rows: Scalars['JSON']['output'];
  sourceContracts: Array<TrainingDatasetSourceContract>;
  /** Qualified table holding the rows (column _row is the request row number). */
  table: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};


/** A saved point-in-time retrieval: one immutable version of a named training dataset. */
export type TrainingDatasetRowsArgs = {
  limit?: Scalars['Int']['input'];
  offset?: Scalars['Int']['input'];
};

export type TrainingDatasetColumn = {
  __typename?: 'TrainingDatasetColumn';
  /** `view:feature` of a feature column. */
  feature?: Maybe<Scalars['String']['output']>;
  /** Logical type (integer, number, string, boolean, timestamp, date, time, object, array), or json for a mixed extra column. */
  logicalType: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** key, timestamp (event_timestamp), extra (passed through) or feature. */
  role: Scalars['String']['output'];
};

/** A feature view as the retrieval read it. */
export type TrainingDatasetFeatureView = {
  __typename?: 'TrainingDatasetFeatureView';
  name: Scalars['String']['output'];
  /** Offline table read, schema.table. */
  table: Scalars['String']['output'];
  ttlSeconds: Scalars['Int']['output'];
  /** Content hash of the applied view document. */
  version: Scalars['String']['output'];
};

/** The data contract behind a feature view, as its offline table was built from it. */
export type TrainingDatasetSourceContract = {
  __typename?: 'TrainingDatasetSourceContract';
  contractId: Scalars['String']['output'];
  contractVersion: Scalars['String']['output'];
  dataProduct: Scalars['String']['output'];
  featureView: Scalars['String']['output'];
  outputPort: Scalars['String']['output'];
  portVersion: Scalars['String']['output'];
};

/** A consumer of the mesh and the data products it relies on. */
export type UseCase = {
  __typename?: 'UseCase';
  consumer: Scalars['JSON']['output'];
  dataProducts: Scalars['JSON']['output'];
  description?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  purpose?: Maybe<Scalars['String']['output']>;
};

/** The signed-in caller and what it may do: a user interface offers only these actions. */
export type Viewer = {
  __typename?: 'Viewer';
  /** Actions allowed somewhere (mesh-wide or in one of its domains); each request is still authorized on its resource. */
  permissions: Array<Scalars['String']['output']>;
  principal: Principal;
};

/** A governance member’s vote; one block rejects the policy (consent). */
export type VoteChoice =
  | 'abstain'
  | 'approve'
  | 'block'
  | 'reject';

export type ClientModelQueryVariables = Exact<{
  name: Scalars['String']['input'];
  version?: InputMaybe<Scalars['String']['input']>;
}>;


export type ClientModelQuery = { __typename?: 'Query', model: { __typename?: 'ModelVersion', name: string, version: string, stage: ModelStage, sha256: string, featureService: string, domain?: string | null } };

export type ClientModelsQueryVariables = Exact<{
  search?: InputMaybe<Scalars['String']['input']>;
  stage?: InputMaybe<ModelStage>;
}>;


export type ClientModelsQuery = { __typename?: 'Query', models: Array<{ __typename?: 'ModelVersion', name: string, version: string, stage: ModelStage }> };

export type ClientPredictQueryVariables = Exact<{
  name: Scalars['String']['input'];
  input: PredictInput;
}>;


export type ClientPredictQuery = { __typename?: 'Query', predict: { __typename?: 'Prediction', requestId: string, outputs: unknown, model: { __typename?: 'PredictionModelRef', name: string, version: string } } };

export type ClientOnlineFeaturesQueryVariables = Exact<{
  features?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
  featureService?: InputMaybe<Scalars['String']['input']>;
  entities: Scalars['JSON']['input'];
}>;


export type ClientOnlineFeaturesQuery = { __typename?: 'Query', onlineFeatures: { __typename?: 'OnlineFeatures', metadata: { __typename?: 'OnlineFeaturesMetadata', featureNames: Array<string> }, results: Array<{ __typename?: 'OnlineFeatureColumn', values: Array<unknown | null>, statuses: Array<FeatureStatus>, eventTimestamps: Array<string> }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const ClientModelDocument = new TypedDocumentString(`
    query ClientModel($name: String!, $version: String) {
  model(name: $name, version: $version) {
    name
    version
    stage
    sha256
    featureService
    domain
  }
}
    `) as unknown as TypedDocumentString<ClientModelQuery, ClientModelQueryVariables>;
export const ClientModelsDocument = new TypedDocumentString(`
    query ClientModels($search: String, $stage: ModelStage) {
  models(search: $search, stage: $stage) {
    name
    version
    stage
  }
}
    `) as unknown as TypedDocumentString<ClientModelsQuery, ClientModelsQueryVariables>;
export const ClientPredictDocument = new TypedDocumentString(`
    query ClientPredict($name: String!, $input: PredictInput!) {
  predict(name: $name, input: $input) {
    requestId
    model {
      name
      version
    }
    outputs
  }
}
    `) as unknown as TypedDocumentString<ClientPredictQuery, ClientPredictQueryVariables>;
export const ClientOnlineFeaturesDocument = new TypedDocumentString(`
    query ClientOnlineFeatures($features: [String!], $featureService: String, $entities: JSON!) {
  onlineFeatures(
    features: $features
    featureService: $featureService
    entities: $entities
    fullFeatureNames: true
  ) {
    metadata {
      featureNames
    }
    results {
      values
      statuses
      eventTimestamps
    }
  }
}
    `) as unknown as TypedDocumentString<ClientOnlineFeaturesQuery, ClientOnlineFeaturesQueryVariables>;