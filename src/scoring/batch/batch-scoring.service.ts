import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../catalog/contracts/documents/content-hash';
import type { PopulationKey } from '../../features/retrieval/feature-population.query';
import { ModelRegistryService } from '../registry/model-registry.service';
import type { ScoringProblem } from '../scoring-error';
import { ScoringError, ScoringErrorCode } from '../scoring-error';
import type { BatchJobTrigger, BatchScoringJob, EntityColumns } from './batch-scoring-job';
import { BatchScoringJobRepository, publicJob } from './batch-scoring-job.repository';
import { BatchScoringTargets } from './batch-scoring-target';
import { BatchScoringWorker } from './batch-scoring.worker';
import { predictionsContract } from './predictions-contract';

/** Most entities one request may list (more: score the whole population, or split the list). */
export const MAX_BATCH_ENTITIES = 1_000_000;
export const MAX_JOBS_LISTED = 500;

export interface BatchScoringRequest {
  version?: string;
  asOf: Date;
  entities?: EntityColumns;
}

function invalid(problems: ScoringProblem[]): ScoringError {
  return new ScoringError(ScoringErrorCode.INVALID_BATCH_REQUEST, `invalid batch scoring request: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, problems);
}

/**
 * Batch scoring requests (REST, GraphQL, the model's cron): checked up front — version, its
 * predictions port, the entity list against the population's keys — then queued for a worker, so
 * a refused request stores nothing. The same version, as-of time and population while a job for
 * them is queued or running answers that job.
 */
@Injectable()
export class BatchScoringService {
  constructor(
    private readonly targets: BatchScoringTargets,
    private readonly jobs: BatchScoringJobRepository,
    private readonly worker: BatchScoringWorker,
    private readonly registry: ModelRegistryService,
  ) {
    worker.queueScheduled = (name, version, asOf) => this.request(name, { version, asOf }, 'schedule', 'schedule');
  }

  async request(name: string, req: BatchScoringRequest, requestedBy: string, trigger: BatchJobTrigger = 'api'): Promise<{ job: BatchScoringJob; created: boolean }> {
    if (Number.isNaN(req.asOf.getTime())) throw invalid([{ field: 'as_of', reason: 'must be an ISO-8601 time' }]);
    const target = await this.targets.resolve(name, req.version);
    const entities = req.entities ? checkEntities(req.entities, target.keys) : null;
    const populationKey = entities ? createHash('sha256').update(canonicalJson(entities)).digest('hex') : 'all';
    const result = await this.jobs.create({ model: target.version.name, version: target.version.version, asOf: req.asOf, entities, populationKey, trigger, requestedBy });
    if (result.created) this.worker.kick();
    return { job: publicJob(result.job), created: result.created };
  }

  async job(id: string): Promise<BatchScoringJob> {
    const job = await this.jobs.get(id);
    if (!job) throw new ScoringError(ScoringErrorCode.BATCH_JOB_NOT_FOUND, `batch scoring job ${id} not found`);
    return publicJob(job);
  }

  async list(filter: { model?: string; first: number }): Promise<BatchScoringJob[]> {
    if (!Number.isInteger(filter.first) || filter.first < 1 || filter.first > MAX_JOBS_LISTED) throw invalid([{ field: 'first', reason: `must be between 1 and ${MAX_JOBS_LISTED}` }]);
    if (filter.model !== undefined) await this.registry.get(filter.model); // MODEL_NOT_FOUND for a name never registered
    return (await this.jobs.list(filter)).map(publicJob);
  }

  /** The ODCS contract of the version's predictions port (for `batchScoring.output`, or a named product and port). */
  async contract(name: string, version: string, output?: { dataProduct: string; outputPort: string }): Promise<Record<string, unknown>> {
    const shape = await this.targets.shape(name, version);
    const declared = output ?? (await this.targets.settings(shape.version))?.output ?? { dataProduct: `${shape.version.name.replace(/_/g, '-')}-model`, outputPort: 'predictions' };
    return predictionsContract(shape.version, shape.keys, declared);
  }
}

/** The entity list must be exactly the population's join keys, equally long, with values of their types. */
function checkEntities(entities: EntityColumns, keys: PopulationKey[]): EntityColumns {
  const problems: ScoringProblem[] = [];
  const names = keys.map((k) => k.name);
  for (const n of Object.keys(entities)) if (!names.includes(n)) problems.push({ field: `entities.${n}`, reason: `not a join key of the model's features (${names.join(', ')})` });
  for (const k of keys) {
    const values = entities[k.name];
    if (!Array.isArray(values)) {
      problems.push({ field: `entities.${k.name}`, reason: 'missing: one value per entity' });
      continue;
    }
    const bad = values.findIndex((v) => !fits(k.type, v));
    if (bad >= 0) problems.push({ field: `entities.${k.name}[${bad}]`, reason: `${JSON.stringify(values[bad])?.slice(0, 40)} is not a ${k.type} key value` });
  }
  const lengths = new Set(keys.map((k) => (Array.isArray(entities[k.name]) ? entities[k.name].length : 0)));
  const rows = Math.max(...lengths);
  if (lengths.size > 1) problems.push({ field: 'entities', reason: 'every key column needs the same number of values' });
  if (rows === 0) problems.push({ field: 'entities', reason: 'at least one entity (omit entities to score the whole population)' });
  if (rows > MAX_BATCH_ENTITIES) problems.push({ field: 'entities', reason: `at most ${MAX_BATCH_ENTITIES} entities (omit entities to score the whole population)` });
  if (problems.length > 0) throw invalid(problems);
  return Object.fromEntries(names.map((n) => [n, entities[n]]));
}

function fits(type: PopulationKey['type'], v: unknown): boolean {
  switch (type) {
    case 'integer':
      return (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^-?\d{1,19}$/.test(v));
    case 'string':
      return typeof v === 'string' && v.length <= 1024;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return typeof v === 'string' && v.length <= 64;
  }
}
