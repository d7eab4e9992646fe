import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { Authorize } from '../auth/authorize.decorator';
import type { AuditEntry } from './audit-entry';
import { AuditEntryModel, AuditFilterInput } from './audit.model';
import { AuditService, MAX_AUDIT_LIMIT } from './audit.service';

/** Read-only on purpose: the trail has no API that changes it. */
@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => [AuditEntryModel], { description: `The audit trail, newest first (admins and governance members); at most ${MAX_AUDIT_LIMIT} entries per call.` })
  @Authorize('audit.read')
  auditLog(@Args('filter', { nullable: true }) filter?: AuditFilterInput, @Args('limit', { type: () => Int, defaultValue: 100 }) limit?: number): Promise<AuditEntry[]> {
    const n = limit ?? 100;
    if (n < 1 || n > MAX_AUDIT_LIMIT) throw new CommonError(CommonErrorCode.BAD_REQUEST, `limit must be between 1 and ${MAX_AUDIT_LIMIT}`, [{ field: 'limit', reason: `must be 1-${MAX_AUDIT_LIMIT}` }]);
    const f = filter ?? {};
    if (f.beforeSeq && !/^\d{1,18}$/.test(f.beforeSeq)) throw new CommonError(CommonErrorCode.BAD_REQUEST, 'filter.beforeSeq must be an entry seq', [{ field: 'filter.beforeSeq', reason: 'must be digits' }]);
    return this.audit.find(
      {
        principalId: f.principalId ?? undefined,
        action: f.action ?? undefined,
        outcome: f.outcome ?? undefined,
        resource: f.resource ?? undefined,
        since: f.since ?? undefined,
        until: f.until ?? undefined,
        beforeSeq: f.beforeSeq ?? undefined,
      },
      n,
    );
  }
}
