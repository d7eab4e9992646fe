import { Injectable } from '@nestjs/common';
import semver from 'semver';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, contentHash } from '../../catalog/contracts/documents/content-hash';
import { CatalogFactsQuery } from '../../catalog/query/catalog-facts.query';
import { ChangeFeed } from '../../common/changes/change-feed';
import { TesseraConfig } from '../../config/tessera-config';
import { FeatureRegistryQuery } from '../../features/registry/feature-registry.query';
import { OnnxLoadError, OnnxSignature, readOnnxSignature } from '../onnx/onnx-signature';
import { ScoringError, ScoringErrorCode, ScoringProblem } from '../scoring-error';
import { ModelBlobStore, sha256Hex } from './model-blob.store';
import { resolveModelDomain } from './model-domain';
import { ModelDomainRepository } from './model-domain.repository';
import { BatchScoringSettings, ModelMetadata, parseModelDocument, prefixed } from './model-document';
import { checkModelSignature } from './model-signature-check';
import { ModelStage, ModelVersionView, RegisterResult } from './model-version';
import { ModelVersionFilter, ModelVersionRepository, StageChange, StoredModelVersion } from './model-version.repository';

/** A model that passed every check not needing the database. */
interface Candidate {
  meta: ModelMetadata;
  bytes: Uint8Array;
  onnx: OnnxSignature;
  metadataField: string;
  sha256: string;
  metadataHash: string;
}

/** The domains a registration touches, for a caller that authorizes only once the document is read (uploads). */
export interface RegistrationScope {
  name: string;
  /** The model's current owner (when registered) and the version's domain: two when the model moves. */
  domains: string[];
  /** The model is registered but owned by no domain (registered before models had domains). */
  unowned: boolean;
}

export interface RegisterOptions {
  registeredBy: string;
  /** Called in the registration's transaction before anything is stored; throws to refuse. */
  authorize?: (scope: RegistrationScope) => void;
  /** Path of the Model document in contracts/, when registered by apply. */
  sourceFile?: string | null;
  /** Prefix of metadata fields in problems: `metadata` for the upload's part, '' for documents. */
  metadataField?: string;
}

/**
 * The model registry: validates a Model document and its ONNX bytes against the feature service,
 * stores them content-addressed and immutable, and manages stages. Registration either stores
 * everything or nothing, and says exactly why not.
 */
@Injectable()
export class ModelRegistryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ModelVersionRepository,
    private readonly blobs: ModelBlobStore,
    private readonly config: TesseraConfig,
    private readonly features: FeatureRegistryQuery,
    private readonly catalog: CatalogFactsQuery,
    private readonly domains: ModelDomainRepository,
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * Upload path. The model is loaded in onnxruntime before the transaction opens, so a large model
   * never holds a database connection while it loads.
   */
  async register(document: unknown, bytes: Uint8Array, options: RegisterOptions): Promise<RegisterResult> {
    const candidate = await this.prepare(document, bytes, options.metadataField ?? '');
    return this.dataSource.transaction((m) => this.store(m, candidate, options));
  }

  /**
   * Contracts apply path: runs in the apply's transaction, so a Model applied together with its
   * feature service sees it, and a rejected or dry-run apply stores nothing. Throws ScoringError
   * (INVALID_METADATA, MODEL_INVALID, MODEL_VERSION_CONFLICT, MODEL_TOO_LARGE) whose `problems`
   * name the document path of each mismatch.
   */
  async registerFromDocument(manager: EntityManager, doc: unknown, bytes: Uint8Array, options: Partial<RegisterOptions> = {}): Promise<RegisterResult> {
    const full: RegisterOptions = { ...options, registeredBy: options.registeredBy ?? 'contracts-apply', sourceFile: options.sourceFile ?? null, metadataField: options.metadataField ?? '' };
    return this.store(manager, await this.prepare(doc, bytes, full.metadataField ?? ''), full);
  }

  /** Everything that needs no database: the document, the size, the hashes, the ONNX signature. */
  private async prepare(doc: unknown, bytes: Uint8Array, metadataField: string): Promise<Candidate> {
    const meta = parseModelDocument(doc, metadataField);
    if (bytes.byteLength === 0) throw invalid(meta, [{ field: 'file', reason: 'the ONNX file is empty' }]);
    if (bytes.byteLength > this.config.modelMaxBytes) {
      throw new ScoringError(ScoringErrorCode.MODEL_TOO_LARGE, `the ONNX file is ${bytes.byteLength} bytes; the limit is ${this.config.modelMaxBytes} (TESSERA_MODEL_MAX_BYTES)`, [
        { field: 'file', reason: `larger than ${this.config.modelMaxBytes} bytes` },
      ]);
    }
    let onnx: OnnxSignature;
    try {
      onnx = await readOnnxSignature(bytes);
    } catch (err) {
      if (err instanceof OnnxLoadError) throw invalid(meta, [{ field: 'file', reason: `onnxruntime cannot load it: ${err.message}` }]);
      throw err;
    }
    return { meta, bytes, onnx, metadataField, sha256: sha256Hex(bytes), metadataHash: contentHash(meta) };
  }

  private async store(m: EntityManager, c: Candidate, options: RegisterOptions): Promise<RegisterResult> {
    const { meta } = c;
    // Serializes registrations (and stage changes) of one model, so two cannot move it to different domains at once.
    await this.repository.lockModel(m, meta.name);
    const owner = (await this.domains.ownership([meta.name], m)).get(meta.name);
    const existing = await this.repository.find(m, meta.name, meta.version);
    if (existing) {
      // Re-registering an identical version changes nothing, the owner included: only the owner's role is needed.
      options.authorize?.({ name: meta.name, domains: owner ? [owner] : [], unowned: owner === null });
      return this.sameOrConflict(existing, c);
    }
    const service = await this.features.featureService(m, meta.featureService);
    const check = checkModelSignature(meta, service, c.onnx);
    if (check.problems.length > 0) {
      throw invalid(
        meta,
        check.problems.map((p) => (p.field.startsWith('file') ? p : { ...p, field: prefixed(c.metadataField, p.field) })),
      );
    }
    const domain = await this.domainOf(m, meta, service?.sourceProducts ?? [], c.metadataField);
    options.authorize?.({ name: meta.name, domains: [...new Set([owner, domain].filter((d): d is string => !!d))].sort(), unowned: owner === null });

    await this.blobs.put(m, c.sha256, c.bytes);
    const inserted = await this.repository.insert(m, {
      name: meta.name,
      version: meta.version,
      sha256: c.sha256,
      metadataHash: c.metadataHash,
      featureService: meta.featureService,
      features: check.features,
      inputs: check.inputs,
      outputs: check.outputs,
      requestInputs: meta.requestInputs,
      onMissing: meta.onMissing,
      defaults: meta.defaults,
      modelCard: meta.modelCard,
      owner: meta.owner,
      description: meta.description,
      tags: meta.tags,
      spec: meta as unknown as Record<string, unknown>,
      sourceFile: options.sourceFile ?? null,
      registeredBy: options.registeredBy,
    });
    if (inserted) await this.domains.set(m, meta.name, domain, options.registeredBy);
    const stored = (await this.repository.find(m, meta.name, meta.version))!;
    // Lost a race with an identical or different registration of the same version.
    if (!inserted) return this.sameOrConflict(stored, c);
    await this.changes.publish(m, 'models', meta.name);
    return { action: 'created', model: publicView(stored), warnings: check.warnings };
  }

  /**
   * The declared domain (which the catalog must know), else the single domain owning the feature
   * service's source products. Refused with MODEL_DOMAIN_REQUIRED naming `domain` when neither holds.
   */
  private async domainOf(m: EntityManager, meta: ModelMetadata, sourceProducts: string[], metadataField: string): Promise<string> {
    if (meta.domain) {
      if (!(await this.catalog.knownDomains([meta.domain], m)).has(meta.domain)) {
        throw new ScoringError(ScoringErrorCode.INVALID_METADATA, `invalid Model document: ${prefixed(metadataField, 'domain')}: domain ${meta.domain} is not in the catalog`, [
          { field: prefixed(metadataField, 'domain'), reason: `domain ${meta.domain} is not in the catalog (apply its Domain document first)` },
        ]);
      }
      return meta.domain;
    }
    const owners = await this.catalog.productDomains(sourceProducts, m);
    const resolved = resolveModelDomain(null, meta.featureService, owners.values());
    if ('domain' in resolved) return resolved.domain;
    const problem = { ...resolved.problem, field: prefixed(metadataField, resolved.problem.field) };
    throw new ScoringError(ScoringErrorCode.MODEL_DOMAIN_REQUIRED, `model ${meta.name} ${meta.version} rejected, nothing stored: ${problem.field}: ${problem.reason}`, [problem]);
  }

  /** Same bytes and metadata: a no-op. Anything else: 409 naming what differs. */
  private sameOrConflict(existing: StoredModelVersion, c: Candidate): RegisterResult {
    const { meta, sha256 } = c;
    if (existing.sha256 === sha256 && existing.metadataHash === c.metadataHash) return { action: 'unchanged', model: publicView(existing), warnings: [] };
    const diffs: ScoringProblem[] = [];
    if (existing.sha256 !== sha256) diffs.push({ field: 'file', reason: `registered bytes have sha256 ${existing.sha256}; these have ${sha256}` });
    const stored = existing.spec;
    const given = meta as unknown as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(stored), ...Object.keys(given)])].sort()) {
      if (canonicalJson(stored[key]) !== canonicalJson(given[key])) diffs.push({ field: prefixed(c.metadataField, key), reason: 'differs from the registered version' });
    }
    const next = semver.inc(meta.version, 'patch');
    throw new ScoringError(
      ScoringErrorCode.MODEL_VERSION_CONFLICT,
      `model ${meta.name} ${meta.version} is already registered with different ${diffs.map((d) => d.field).join(', ')}; a version is immutable: register a new version (e.g. ${next})`,
      diffs,
    );
  }

  /** One version; without a version: the production one, else the highest registered. */
  async get(name: string, version?: string | null): Promise<ModelVersionView> {
    if (version) {
      const found = await this.repository.find(this.repository.manager, name, semver.valid(version) ?? version);
      if (found) return publicView(found);
      const any = await this.repository.list({ name });
      if (any.length === 0) throw new ScoringError(ScoringErrorCode.MODEL_NOT_FOUND, `model ${name} is not registered`);
      throw new ScoringError(
        ScoringErrorCode.MODEL_VERSION_NOT_FOUND,
        `model ${name} has no version ${version}; registered: ${sortVersions(any)
          .map((v) => v.version)
          .join(', ')}`,
      );
    }
    const all = sortVersions(await this.repository.list({ name }));
    if (all.length === 0) throw new ScoringError(ScoringErrorCode.MODEL_NOT_FOUND, `model ${name} is not registered`);
    return publicView(all.find((v) => v.stage === 'production') ?? all[0]);
  }

  /** Catalog search; newest version first within a model. */
  async list(filter: ModelVersionFilter = {}): Promise<ModelVersionView[]> {
    return sortVersions(await this.repository.list(filter)).map(publicView);
  }

  /** ONNX bytes of a registered version, verified against their sha256. */
  async bytes(name: string, version: string): Promise<Buffer> {
    const v = await this.get(name, version);
    return this.blobs.get(v.sha256);
  }

  /**
   * Moves a version to a stage. Promoting to production archives the previous production version
   * in the same transaction, so a model always has at most one. Every change is recorded with who made it.
   */
  async setStage(name: string, version: string, stage: ModelStage, changedBy: string): Promise<ModelVersionView> {
    const clean = semver.valid(version) ?? version;
    return this.dataSource.transaction(async (m) => {
      await this.repository.lockModel(m, name);
      const current = await this.repository.find(m, name, clean);
      if (!current) {
        await this.get(name, clean); // throws MODEL_NOT_FOUND or MODEL_VERSION_NOT_FOUND listing the versions
        throw new ScoringError(ScoringErrorCode.MODEL_VERSION_NOT_FOUND, `model ${name} has no version ${clean}`);
      }
      if (current.stage === stage) return publicView(current);
      if (stage === 'production') {
        const previous = await this.repository.currentProduction(m, name);
        if (previous) await this.repository.updateStage(m, name, previous, 'production', 'archived', changedBy);
      }
      await this.repository.updateStage(m, name, clean, current.stage, stage, changedBy);
      await this.changes.publish(m, 'models', name); // routes of models without a deployment follow the stage
      return publicView((await this.repository.find(m, name, clean))!);
    });
  }

  /** The batch scoring settings of a version's Model document (null when it declares none). */
  async batchScoring(name: string, version: string): Promise<BatchScoringSettings | null> {
    await this.get(name, version); // MODEL_NOT_FOUND / MODEL_VERSION_NOT_FOUND listing the versions
    const found = await this.repository.find(this.repository.manager, name, semver.valid(version) ?? version);
    return (found?.spec as Partial<ModelMetadata> | undefined)?.batchScoring ?? null;
  }

  /** Production versions whose document declares a batch scoring schedule. */
  async scheduledBatchScoring(): Promise<{ name: string; version: string; schedule: string }[]> {
    const production = await this.repository.list({ stage: 'production' });
    return production.flatMap((v) => {
      const schedule = (v.spec as Partial<ModelMetadata> | undefined)?.batchScoring?.schedule;
      return schedule ? [{ name: v.name, version: v.version, schedule }] : [];
    });
  }

  stageHistory(name: string, version: string): Promise<StageChange[]> {
    return this.repository.stageHistory(name, semver.valid(version) ?? version);
  }
}

function invalid(meta: ModelMetadata, problems: ScoringProblem[]): ScoringError {
  const summary = problems
    .slice(0, 3)
    .map((p) => `${p.field}: ${p.reason}`)
    .join('; ');
  const more = problems.length > 3 ? ` (+${problems.length - 3} more)` : '';
  return new ScoringError(ScoringErrorCode.MODEL_INVALID, `model ${meta.name} ${meta.version} rejected, nothing stored: ${summary}${more}`, problems);
}

function sortVersions<T extends { name: string; version: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.name.localeCompare(b.name) || semver.rcompare(a.version, b.version));
}

function publicView(v: StoredModelVersion): ModelVersionView {
  const { metadataHash: _hash, spec: _spec, ...view } = v;
  return view;
}
