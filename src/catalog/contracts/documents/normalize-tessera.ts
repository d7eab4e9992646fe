import semver from 'semver';
import { parseDurationSeconds } from './duration';
import { normalizeTeam, objects, str, strings } from './normalize-common';
import {
  NormalizedDomain,
  NormalizedEntity,
  NormalizedFeatureService,
  NormalizedFeatureView,
  NormalizedModel,
  NormalizedPolicy,
  NormalizedStreamSource,
  NormalizedUseCase,
} from './normalized-types';
import {
  DomainDocument,
  EntityDocument,
  FEATURE_REF_PATTERN,
  FeatureServiceDocument,
  FeatureViewDocument,
  ModelDocument,
  PolicyDocument,
  StreamSourceDocument,
  UseCaseDocument,
} from './tessera-v1.schema';

type Body = Record<string, unknown>;

export function normalizeDomain(doc: DomainDocument, raw: Body): NormalizedDomain {
  return {
    name: doc.name,
    description: doc.description ?? null,
    team: normalizeTeam(doc.team),
    glossary: objects(doc.glossary).map((g) => ({
      term: String(g.term),
      definition: String(g.definition),
      synonyms: strings(g.synonyms),
      products: strings(g.products),
    })),
    raw,
  };
}

export function normalizeUseCase(doc: UseCaseDocument, raw: Body): NormalizedUseCase {
  return {
    name: doc.name,
    description: doc.description ?? null,
    purpose: doc.purpose ?? null,
    consumer: {
      team: doc.consumer.team ?? null,
      dataProduct: doc.consumer.dataProduct ?? null,
      model: doc.consumer.model ?? null,
    },
    dataProducts: doc.dataProducts.map((d) => ({ id: d.id, outputPort: d.outputPort ?? null })),
    raw,
  };
}

export function normalizeEntity(doc: EntityDocument, raw: Body): NormalizedEntity {
  return {
    name: doc.name,
    description: doc.description ?? null,
    joinKeys: doc.joinKeys.map((k) => ({ name: k.name, type: k.type })),
    tags: strings(doc.tags),
    raw,
  };
}

export function normalizeFeatureView(doc: FeatureViewDocument, raw: Body): NormalizedFeatureView {
  return {
    name: doc.name,
    description: doc.description ?? null,
    entities: [...doc.entities],
    source: { dataProduct: doc.source.dataProduct, outputPort: doc.source.outputPort },
    timestampField: doc.timestampField,
    createdTimestampField: doc.createdTimestampField ?? null,
    ttlSeconds: doc.ttl === undefined ? 0 : (parseDurationSeconds(doc.ttl) ?? 0),
    online: doc.online ?? false,
    features: doc.features.map((f) =>
      typeof f === 'string'
        ? { name: f, description: null, tags: [] }
        : { name: f.name, description: str(f.description), tags: strings(f.tags) },
    ),
    tags: strings(doc.tags),
    schedule: doc.schedule?.trim() ?? null,
    raw,
  };
}

export function normalizeFeatureService(doc: FeatureServiceDocument, raw: Body): NormalizedFeatureService {
  return {
    name: doc.name,
    description: doc.description ?? null,
    features: [...doc.features],
    featureRefs: doc.features.map((ref) => {
      const match = FEATURE_REF_PATTERN.exec(ref);
      return { view: match?.[1] ?? '', feature: match?.[2] ?? '' };
    }),
    tags: strings(doc.tags),
    raw,
  };
}

export function normalizeModel(doc: ModelDocument, raw: Body): NormalizedModel {
  return {
    name: doc.name,
    version: semver.valid(doc.version) ?? doc.version,
    featureService: doc.featureService,
    // Only when declared: normalized documents without it keep their content hash.
    ...(doc.domain !== undefined ? { domain: doc.domain } : {}),
    file: doc.file ?? null,
    description: doc.description ?? null,
    raw,
  };
}

export function normalizePolicy(doc: PolicyDocument, raw: Body): NormalizedPolicy {
  // A bare date means midnight UTC of that day.
  const from = doc.effectiveFrom === undefined ? null : new Date(doc.effectiveFrom.length === 10 ? `${doc.effectiveFrom}T00:00:00Z` : doc.effectiveFrom).toISOString();
  return {
    name: doc.name,
    title: doc.title,
    description: doc.description ?? null,
    category: doc.category,
    severity: doc.severity,
    context: doc.context,
    decision: doc.decision,
    consequences: doc.consequences,
    rule: doc.rule.trim(),
    message: doc.message ?? doc.title,
    path: doc.path ?? '',
    effectiveFrom: from,
    raw,
  };
}

export function normalizeStreamSource(doc: StreamSourceDocument, raw: Body): NormalizedStreamSource {
  return {
    name: doc.name,
    description: doc.description ?? null,
    dataProduct: doc.dataProduct,
    outputPort: doc.outputPort,
    stream: doc.stream,
    subject: doc.subject,
    maxDeliver: doc.maxDeliver ?? 5,
    raw,
  };
}
