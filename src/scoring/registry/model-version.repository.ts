import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ModelCard } from './model-document';
import type { ModelFeature, ModelStage, ModelVersionView, TensorDeclaration } from './model-version';

/** Everything stored for a new version; the row is immutable afterwards except for its stage. */
export type NewModelVersion = Omit<ModelVersionView, 'sizeBytes' | 'domain' | 'stage' | 'registeredAt' | 'stageChangedAt' | 'stageChangedBy'> & {
  metadataHash: string;
  spec: Record<string, unknown>;
};

export interface StoredModelVersion extends ModelVersionView {
  metadataHash: string;
  /** The normalized Model document (ModelMetadata) the metadata hash was computed from. */
  spec: Record<string, unknown>;
}

export interface ModelVersionFilter {
  name?: string;
  search?: string;
  stage?: ModelStage;
  owner?: string;
}

export interface StageChange {
  name: string;
  version: string;
  fromStage: ModelStage | null;
  toStage: ModelStage;
  changedBy: string;
  changedAt: Date;
}

const COLUMNS = `v.name, v.version, v.sha256, v.metadata_hash, b.size, v.feature_service, v.features, v.inputs, v.outputs,
  v.request_inputs, v.on_missing, v.defaults, v.model_card, v.owner, v.description, v.tags, v.spec, v.source_file, v.stage,
  v.registered_at, v.registered_by, v.stage_changed_at, v.stage_changed_by, d.domain`;
const FROM = `tessera.model_versions v JOIN tessera.model_blobs b ON b.sha256 = v.sha256 LEFT JOIN tessera.model_domains d ON d.name = v.name`;

/** All SQL of the model registry. Methods take the EntityManager so callers choose the transaction. */
@Injectable()
export class ModelVersionRepository {
  constructor(private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async find(m: EntityManager, name: string, version: string): Promise<StoredModelVersion | null> {
    const [row] = await m.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE v.name = $1 AND v.version = $2`, [name, version]);
    return row ? toView(row) : null;
  }

  /** Inserts unless name+version exists; false when another registration got there first. */
  async insert(m: EntityManager, v: NewModelVersion): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO tessera.model_versions (name, version, sha256, metadata_hash, feature_service, features, inputs, outputs,
         request_inputs, on_missing, defaults, model_card, owner, description, tags, spec, source_file, search, registered_by, stage_changed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
       ON CONFLICT (name, version) DO NOTHING RETURNING name`,
      [
        v.name,
        v.version,
        v.sha256,
        v.metadataHash,
        v.featureService,
        JSON.stringify(v.features),
        JSON.stringify(v.inputs),
        JSON.stringify(v.outputs),
        JSON.stringify(v.requestInputs),
        v.onMissing,
        JSON.stringify(v.defaults),
        JSON.stringify(v.modelCard),
        v.owner,
        v.description,
        v.tags,
        JSON.stringify(v.spec),
        v.sourceFile,
        searchText(v),
        v.registeredBy,
      ],
    );
    if (rows.length === 0) return false;
    await this.recordStageChange(m, v.name, v.version, null, 'staging', v.registeredBy);
    return true;
  }

  async list(filter: ModelVersionFilter): Promise<StoredModelVersion[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.name) add('v.name = ?', filter.name);
    if (filter.stage) add('v.stage = ?', filter.stage);
    if (filter.owner) add('v.owner = ?', filter.owner);
    for (const term of (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean)) add(`v.search LIKE ? ESCAPE '\\'`, `%${term.replace(/[%_\\]/g, '\\$&')}%`);
    const rows = await this.dataSource.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY v.name, v.registered_at`, params);
    return rows.map(toView);
  }

  /** Serializes stage changes of one model, so two promotions cannot both end up in production. */
  async lockModel(m: EntityManager, name: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('tessera.model:' || $1))`, [name]);
  }

  async currentProduction(m: EntityManager, name: string): Promise<string | null> {
    const [row] = await m.query<{ version: string }[]>(`SELECT version FROM tessera.model_versions WHERE name = $1 AND stage = 'production'`, [name]);
    return row?.version ?? null;
  }

  async updateStage(m: EntityManager, name: string, version: string, from: ModelStage, to: ModelStage, by: string): Promise<void> {
    await m.query(`UPDATE tessera.model_versions SET stage = $3, stage_changed_at = now(), stage_changed_by = $4 WHERE name = $1 AND version = $2`, [name, version, to, by]);
    await this.recordStageChange(m, name, version, from, to, by);
  }

  async stageHistory(name: string, version: string): Promise<StageChange[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT name, version, from_stage, to_stage, changed_by, changed_at FROM tessera.model_stage_changes WHERE name = $1 AND version = $2 ORDER BY seq`,
      [name, version],
    );
    return rows.map((r) => ({
      name: r.name as string,
      version: r.version as string,
      fromStage: r.from_stage as ModelStage | null,
      toStage: r.to_stage as ModelStage,
      changedBy: r.changed_by as string,
      changedAt: r.changed_at as Date,
    }));
  }

  private async recordStageChange(m: EntityManager, name: string, version: string, from: ModelStage | null, to: ModelStage, by: string): Promise<void> {
    await m.query(`INSERT INTO tessera.model_stage_changes (name, version, from_stage, to_stage, changed_by) VALUES ($1, $2, $3, $4, $5)`, [name, version, from, to, by]);
  }
}

/** What free-text search matches: names, version, owner, description, tags, features, inputs, outputs. */
function searchText(v: NewModelVersion): string {
  return [v.name, v.version, v.owner, v.description, v.featureService, ...v.tags, ...v.features.map((f) => f.ref), ...v.inputs.map((i) => i.name), ...v.outputs.map((o) => o.name), v.modelCard.intendedUse]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .join('\n')
    .toLowerCase();
}

function toView(r: Record<string, unknown>): StoredModelVersion {
  return {
    name: r.name as string,
    version: r.version as string,
    sha256: r.sha256 as string,
    metadataHash: r.metadata_hash as string,
    sizeBytes: Number(r.size),
    featureService: r.feature_service as string,
    features: r.features as ModelFeature[],
    inputs: r.inputs as TensorDeclaration[],
    outputs: r.outputs as TensorDeclaration[],
    requestInputs: r.request_inputs as TensorDeclaration[],
    onMissing: r.on_missing as 'reject' | 'impute',
    defaults: r.defaults as Record<string, number>,
    modelCard: r.model_card as ModelCard,
    owner: (r.owner as string | null) ?? null,
    domain: (r.domain as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    tags: r.tags as string[],
    spec: r.spec as Record<string, unknown>,
    sourceFile: (r.source_file as string | null) ?? null,
    stage: r.stage as ModelStage,
    registeredAt: r.registered_at as Date,
    registeredBy: r.registered_by as string,
    stageChangedAt: r.stage_changed_at as Date,
    stageChangedBy: r.stage_changed_by as string,
  };
}
