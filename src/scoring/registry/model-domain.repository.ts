import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** SQL of `tessera.model_domains`: which domain owns each model. */
@Injectable()
export class ModelDomainRepository {
  constructor(private readonly ds: DataSource) {}

  /** Owning domain of each registered model; null for a model registered before models had domains. Unregistered names are absent. */
  async ownership(names: readonly string[], m: EntityManager = this.ds.manager): Promise<Map<string, string | null>> {
    if (names.length === 0) return new Map();
    const rows: { name: string; domain: string | null }[] = await m.query(
      `SELECT v.name, d.domain FROM (SELECT DISTINCT name FROM tessera.model_versions WHERE name = ANY($1::text[])) v
         LEFT JOIN tessera.model_domains d ON d.name = v.name`,
      [[...new Set(names)]],
    );
    return new Map(rows.map((r) => [r.name, r.domain]));
  }

  /** Sets the owner; a no-op when unchanged, so `changed_at` says when the model last moved. */
  async set(m: EntityManager, name: string, domain: string, by: string): Promise<void> {
    await m.query(
      `INSERT INTO tessera.model_domains (name, domain, changed_by) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET domain = EXCLUDED.domain, changed_at = now(), changed_by = EXCLUDED.changed_by
       WHERE tessera.model_domains.domain IS DISTINCT FROM EXCLUDED.domain`,
      [name, domain, by],
    );
  }
}
