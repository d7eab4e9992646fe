import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry, AuditFilter, AuditRecord } from './audit-entry';

const COLUMNS = `seq::text AS seq, at, principal_id AS "principalId", action, resource, outcome, reason, request_id AS "requestId",
  operation, before_digest AS "beforeDigest", after_digest AS "afterDigest"`;

/** The append-only audit table: INSERT and SELECT only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(r: AuditRecord): Promise<void> {
    await this.ds.query(
      `INSERT INTO tessera.audit_log (principal_id, action, resource, outcome, reason, request_id, operation, before_digest, after_digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.principalId, r.action, r.resource.slice(0, 2000), r.outcome, r.reason?.slice(0, 2000) ?? null, r.requestId ?? null, r.operation?.slice(0, 500) ?? null, r.beforeDigest ?? null, r.afterDigest ?? null],
    );
  }

  /** Newest first. */
  async find(f: AuditFilter, limit: number): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, v: unknown): void => {
      params.push(v);
      where.push(sql(`$${params.length}`));
    };
    if (f.principalId) add((p) => `principal_id = ${p}`, f.principalId);
    if (f.action) add((p) => `action = ${p}`, f.action);
    if (f.outcome) add((p) => `outcome = ${p}`, f.outcome);
    if (f.resource) add((p) => `resource LIKE ${p}`, `%${f.resource.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.since) add((p) => `at >= ${p}`, f.since);
    if (f.until) add((p) => `at < ${p}`, f.until);
    if (f.beforeSeq) add((p) => `seq < ${p}::bigint`, f.beforeSeq);
    params.push(limit);
    return this.ds.query(`SELECT ${COLUMNS} FROM tessera.audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`, params);
  }
}
