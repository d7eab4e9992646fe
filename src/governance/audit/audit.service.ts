import { Injectable, Logger } from '@nestjs/common';
import type { AuditEntry, AuditFilter, AuditRecord } from './audit-entry';
import { AuditRepository } from './audit.repository';

export const MAX_AUDIT_LIMIT = 1000;

/**
 * Writes and reads the audit trail. Mutations and denials are awaited, so a request is not answered
 * before its record is stored. A failed write is logged (without request data) and does not turn an
 * applied mutation into an error: the change already happened and the client must learn that.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(private readonly repo: AuditRepository) {}

  async record(r: AuditRecord): Promise<void> {
    try {
      await this.repo.insert(r);
    } catch (err) {
      this.logger.error(`could not write the audit record of ${r.action} (${r.outcome}) by ${r.principalId ?? 'unauthenticated'}: ${(err as Error).message}`);
    }
  }

  find(filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
    return this.repo.find(filter, Math.max(1, Math.min(limit, MAX_AUDIT_LIMIT)));
  }
}
