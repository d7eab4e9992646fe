import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeploymentAction, DeploymentChange, DeploymentSnapshot, DeploymentState } from './deployment';

/** All SQL of deployments. Writers take the EntityManager of the caller's transaction. */
@Injectable()
export class DeploymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serializes deployment changes of one model across replicas (its own key: stage changes lock another). */
  async lock(m: EntityManager, name: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('tessera.deployment:' || $1))`, [name]);
  }

  async find(m: EntityManager | null, name: string): Promise<DeploymentState | null> {
    const [row] = await (m ?? this.dataSource.manager).query<Record<string, unknown>[]>(
      `SELECT name, production_version, canary_version, canary_percent, shadow_versions, previous_versions, revision, updated_at, updated_by
       FROM tessera.model_deployments WHERE name = $1`,
      [name],
    );
    return row ? toState(row) : null;
  }

  async save(m: EntityManager, next: DeploymentSnapshot & { name: string }, by: string): Promise<void> {
    await m.query(
      `INSERT INTO tessera.model_deployments (name, production_version, canary_version, canary_percent, shadow_versions, previous_versions, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (name) DO UPDATE SET production_version = $2, canary_version = $3, canary_percent = $4, shadow_versions = $5,
         previous_versions = $6, updated_by = $7, updated_at = now(), revision = tessera.model_deployments.revision + 1`,
      [next.name, next.production, next.canary?.version ?? null, next.canary?.percent ?? null, next.shadows, next.previous, by],
    );
  }

  async recordChange(m: EntityManager, name: string, action: DeploymentAction, before: DeploymentSnapshot | null, after: DeploymentSnapshot, by: string): Promise<void> {
    await m.query(`INSERT INTO tessera.model_deployment_changes (name, action, before, after, changed_by) VALUES ($1, $2, $3, $4, $5)`, [
      name,
      action,
      before ? JSON.stringify(before) : null,
      JSON.stringify(after),
      by,
    ]);
  }

  async history(name: string, limit: number): Promise<DeploymentChange[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT seq, name, action, before, after, changed_by, changed_at FROM tessera.model_deployment_changes WHERE name = $1 ORDER BY seq DESC LIMIT $2`,
      [name, limit],
    );
    return rows.reverse().map((r) => ({
      seq: Number(r.seq),
      name: r.name as string,
      action: r.action as DeploymentAction,
      before: (r.before as DeploymentSnapshot | null) ?? null,
      after: r.after as DeploymentSnapshot,
      changedBy: r.changed_by as string,
      changedAt: r.changed_at as Date,
    }));
  }
}

function toState(r: Record<string, unknown>): DeploymentState {
  return {
    name: r.name as string,
    production: r.production_version as string,
    canary: r.canary_version ? { version: r.canary_version as string, percent: Number(r.canary_percent) } : null,
    shadows: r.shadow_versions as string[],
    previous: r.previous_versions as string[],
    revision: Number(r.revision),
    updatedAt: r.updated_at as Date,
    updatedBy: r.updated_by as string,
  };
}
