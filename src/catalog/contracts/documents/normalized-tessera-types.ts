import type { NormalizedTeam } from './normalized-types';
import type { JoinKeyType, POLICY_CATEGORIES, POLICY_SEVERITIES } from './tessera-v1.schema';

/** Normalized tessera/v1 documents (see normalized-types.ts for the conventions). */
export interface NormalizedGlossaryTerm {
  term: string;
  definition: string;
  synonyms: string[];
  products: string[];
}

export interface NormalizedDomain {
  name: string;
  description: string | null;
  team: NormalizedTeam | null;
  glossary: NormalizedGlossaryTerm[];
  raw: Record<string, unknown>;
}

export interface NormalizedUseCase {
  name: string;
  description: string | null;
  purpose: string | null;
  consumer: { team: string | null; dataProduct: string | null; model: string | null };
  dataProducts: { id: string; outputPort: string | null }[];
  raw: Record<string, unknown>;
}

export interface NormalizedEntity {
  name: string;
  description: string | null;
  joinKeys: { name: string; type: JoinKeyType }[];
  tags: string[];
  raw: Record<string, unknown>;
}

export interface NormalizedFeature {
  name: string;
  description: string | null;
  tags: string[];
}

export interface NormalizedFeatureView {
  name: string;
  description: string | null;
  entities: string[];
  source: { dataProduct: string; outputPort: string };
  timestampField: string;
  createdTimestampField: string | null;
  /** 0 = no ttl. */
  ttlSeconds: number;
  online: boolean;
  features: NormalizedFeature[];
  tags: string[];
  schedule: string | null;
  raw: Record<string, unknown>;
}

export interface FeatureRef {
  view: string;
  feature: string;
}

export interface NormalizedFeatureService {
  name: string;
  description: string | null;
  /** `view:feature` strings in declared order (the order models receive them). */
  features: string[];
  featureRefs: FeatureRef[];
  tags: string[];
  raw: Record<string, unknown>;
}

export interface NormalizedModel {
  name: string;
  /** Clean semver (a leading `v` is dropped). */
  version: string;
  featureService: string;
  /** Declared owning domain (absent: the feature service's). */
  domain?: string;
  file: string | null;
  description: string | null;
  raw: Record<string, unknown>;
}

export interface NormalizedPolicy {
  name: string;
  title: string;
  description: string | null;
  category: (typeof POLICY_CATEGORIES)[number];
  severity: (typeof POLICY_SEVERITIES)[number];
  context: string;
  decision: string;
  consequences: string;
  /** CEL source, trimmed. */
  rule: string;
  /** Reason of a violation the rule does not explain itself (defaults to the title). */
  message: string;
  /** Path reported with `message` ('' = the whole product). */
  path: string;
  /** ISO timestamp (UTC) from which an approved revision is active; null = as soon as approved. */
  effectiveFrom: string | null;
  raw: Record<string, unknown>;
}

export interface NormalizedStreamSource {
  name: string;
  description: string | null;
  dataProduct: string;
  outputPort: string;
  stream: string;
  subject: string;
  /** Deliveries before a message goes to the dead-letter subject (default 5). */
  maxDeliver: number;
  raw: Record<string, unknown>;
}
