import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import type { Action } from './actions';
import { authorize } from './authorize';
import type { Principal } from './principal';
import type { Resource } from './resource';

/**
 * The guard's decision for a handler that learns its resource only from what it reads (a model
 * upload names its model inside the multipart body): same `authorize`, same 403. The audit
 * interceptor records the refusal as denied.
 */
export function requireAllowed(principal: Principal, action: Action, resource: Resource): void {
  const decision = authorize(principal, action, resource);
  if (!decision.allow) throw new CommonError(CommonErrorCode.FORBIDDEN, `forbidden: ${decision.reason}`, { action, reason: decision.reason });
}
