import semver from 'semver';
import type { z } from 'zod';
import { ApplyIssue, IssueSink } from './apply-issue';
import { contentHash } from './content-hash';
import { normalizeContract } from './normalize-contract';
import { normalizeProduct } from './normalize-product';
import {
  normalizeDomain,
  normalizeEntity,
  normalizeFeatureService,
  normalizeFeatureView,
  normalizeModel,
  normalizePolicy,
  normalizeStreamSource,
  normalizeUseCase,
} from './normalize-tessera';
import { ValidatedDocument } from './normalized-types';
import { odcsSchema } from './odcs.schema';
import { odpsSchema } from './odps.schema';
import { DocumentKind, RawDocument } from './raw-document';
import {
  domainSchema,
  entitySchema,
  featureServiceSchema,
  featureViewSchema,
  modelSchema,
  policySchema,
  streamSourceSchema,
  useCaseSchema,
} from './tessera-v1.schema';
import { reportZodIssues } from './zod-issues';

interface KindHandler {
  parse(body: unknown): z.ZodSafeParseResult<unknown>;
  normalize(doc: RawDocument, parsed: unknown, sink: IssueSink): ValidatedDocument['value'];
}

/** Ties a schema to its normalizer so each normalizer receives its schema's output type. */
function handler<S extends z.ZodType>(
  schema: S,
  normalize: (doc: RawDocument, parsed: z.output<S>, sink: IssueSink) => ValidatedDocument['value'],
): KindHandler {
  return { parse: (body) => schema.safeParse(body), normalize: (d, p, s) => normalize(d, p as z.output<S>, s) };
}

const HANDLERS: Record<DocumentKind, KindHandler> = {
  DataProduct: handler(odpsSchema, (d, p, s) => normalizeProduct(p, d.body, d.file, s)),
  DataContract: handler(odcsSchema, (d, p) => normalizeContract(p, d.body)),
  Domain: handler(domainSchema, (d, p) => normalizeDomain(p, d.body)),
  UseCase: handler(useCaseSchema, (d, p) => normalizeUseCase(p, d.body)),
  Entity: handler(entitySchema, (d, p) => normalizeEntity(p, d.body)),
  FeatureView: handler(featureViewSchema, (d, p) => normalizeFeatureView(p, d.body)),
  FeatureService: handler(featureServiceSchema, (d, p) => normalizeFeatureService(p, d.body)),
  Model: handler(modelSchema, (d, p) => normalizeModel(p, d.body)),
  Policy: handler(policySchema, (d, p) => normalizePolicy(p, d.body)),
  StreamSource: handler(streamSourceSchema, (d, p) => normalizeStreamSource(p, d.body)),
};

/**
 * Validates every document against Tessera's rules and returns the valid ones normalized. All
 * problems of all documents are reported (not just the first), plus within-batch duplicates.
 */
export function validateDocuments(docs: RawDocument[]): { documents: ValidatedDocument[]; issues: ApplyIssue[] } {
  const documents: ValidatedDocument[] = [];
  const issues: ApplyIssue[] = [];
  const firstSeen = new Map<string, ValidatedDocument>();
  for (const doc of docs) {
    const sink = new IssueSink(doc.file, doc.docIndex);
    const validated = validateOne(doc, sink);
    if (validated) {
      const key = identityKey(validated);
      const first = firstSeen.get(key.key);
      if (first) {
        sink.error(key.path, `duplicate ${validated.kind} ${key.label}: already defined in ${first.file} (document ${first.docIndex})`);
      } else {
        firstSeen.set(key.key, validated);
        documents.push(validated);
      }
    }
    issues.push(...sink.issues);
  }
  return { documents, issues };
}

function validateOne(doc: RawDocument, sink: IssueSink): ValidatedDocument | null {
  const kindHandler = HANDLERS[doc.kind];
  const result = kindHandler.parse(doc.body);
  if (!result.success) {
    reportZodIssues(result.error.issues, doc.body, sink);
    return null;
  }
  const value = kindHandler.normalize(doc, result.data, sink);
  if (doc.kind === 'DataContract') warnOnNonSemver(doc.body.version, sink);
  return { kind: doc.kind, file: doc.file, docIndex: doc.docIndex, hash: contentHash(doc.body), value } as ValidatedDocument;
}

/** ODCS does not require semver, but version bump checks need it; coercible forms (v1, 1.0) pass. */
function warnOnNonSemver(version: unknown, sink: IssueSink): void {
  if (typeof version === 'string' && semver.coerce(version) === null) {
    sink.warn('version', `version ${JSON.stringify(version)} is not a semantic version; breaking-change checks cannot compare it`);
  }
}

function identityKey(doc: ValidatedDocument): { key: string; label: string; path: string } {
  switch (doc.kind) {
    case 'DataProduct':
      return { key: `DataProduct\u0000${doc.value.id}`, label: `id ${JSON.stringify(doc.value.id)}`, path: 'id' };
    case 'DataContract':
      return {
        key: `DataContract\u0000${doc.value.id}\u0000${doc.value.version}`,
        label: `id ${JSON.stringify(doc.value.id)} version ${doc.value.version}`,
        path: 'id',
      };
    case 'Model':
      return {
        key: `Model\u0000${doc.value.name}\u0000${doc.value.version}`,
        label: `${JSON.stringify(doc.value.name)} version ${doc.value.version}`,
        path: 'name',
      };
    default:
      return { key: `${doc.kind}\u0000${doc.value.name}`, label: JSON.stringify(doc.value.name), path: 'name' };
  }
}
