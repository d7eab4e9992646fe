import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, mergeMap, Observable } from 'rxjs';
import { toTesseraError } from '../../common/errors/to-tessera-error';
import { WRITE_ACTIONS, Action } from '../auth/actions';
import { authorizationOf, handlerCall } from '../auth/authorization.guard';
import { auditDigest } from './audit-entry';
import { runWithAuditState } from './audit-state';
import { AuditService } from './audit.service';

/**
 * Records every mutation (GraphQL mutations; REST calls other than GET that perform a write action)
 * with its outcome once the handler has finished, before the answer leaves. Reads (including the
 * POST-shaped online and historical reads) are not recorded when allowed; denials are recorded by
 * the guard.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { request, operation, isGraphqlMutation } = handlerCall(ctx);
    const decision = authorizationOf(ctx);
    const principal = request.principal;
    const isWrite = isGraphqlMutation || (ctx.getType<string>() === 'http' && request.method !== 'GET' && decision !== undefined && WRITE_ACTIONS.has(decision.action as Action));
    if (!isWrite || !principal) return next.handle();
    const base = { principalId: principal.id, action: decision?.action ?? operation, resource: decision?.resource ?? operation, requestId: request.id ?? null, operation };
    const { result, state } = runWithAuditState(() => next.handle());
    return result.pipe(
      mergeMap(async (value: unknown) => {
        await this.audit.record({ ...base, outcome: 'allowed', beforeDigest: auditDigest(state.before), afterDigest: auditDigest('after' in state ? state.after : value) });
        return value;
      }),
      catchError(async (err: unknown) => {
        const { error } = toTesseraError(err);
        // A handler that authorizes after reading its input (model uploads) refuses with FORBIDDEN: a denial, not a failure.
        const outcome = error.code === 'FORBIDDEN' ? 'denied' : 'failed';
        await this.audit.record({ ...base, outcome, reason: `${error.code}: ${error.message}`, beforeDigest: auditDigest(state.before) });
        throw err;
      }),
    );
  }
}
