import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { AuditService } from '../audit/audit.service';
import { MISSING_KEY_MESSAGE } from './authentication.service';
import { authorize } from './authorize';
import { AUTHORIZE_METADATA, AuthorizeDeclaration, AuthorizeInput } from './authorize.decorator';
import type { Principal } from './principal';
import { describeResource, MESH, Resource } from './resource';
import { ResourceLookup } from './resource-lookup';

interface RequestLike {
  id?: string;
  method?: string;
  url?: string;
  principal?: Principal;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** Where a handler runs: the request, its inputs, and a name for the audit trail. */
export function handlerCall(ctx: ExecutionContext): { request: RequestLike; args: Record<string, unknown>; operation: string; isGraphqlMutation: boolean } {
  if (ctx.getType<string>() === 'graphql') {
    const gql = GqlExecutionContext.create(ctx);
    const info = gql.getInfo<GraphQLResolveInfo>();
    return {
      request: gql.getContext<{ req: RequestLike }>().req,
      args: gql.getArgs<Record<string, unknown>>(),
      operation: `${info.parentType.name}.${info.fieldName}`,
      isGraphqlMutation: info.parentType.name === 'Mutation',
    };
  }
  const request = ctx.switchToHttp().getRequest<RequestLike>();
  return { request, args: {}, operation: `${request.method} ${(request.url ?? '').split('?')[0]}`, isGraphqlMutation: false };
}

/** The decision of the guard for this handler call (GraphQL: per field; HTTP: per request), for the audit interceptor. */
const decided = new WeakMap<object, { action: string; resource: string }>();

function callKey(ctx: ExecutionContext): object {
  return ctx.getType<string>() === 'graphql' ? ctx.getArgByIndex<object>(3) : ctx.switchToHttp().getRequest<object>();
}

export function authorizationOf(ctx: ExecutionContext): { action: string; resource: string } | undefined {
  return decided.get(callKey(ctx));
}

/**
 * Runs `authorize()` before every REST handler and GraphQL resolver (field resolvers included),
 * from the handler's `@Authorize` declaration. No declaration: denied, so a forgotten decorator
 * fails closed. Denials are written to the audit trail before the 403 leaves.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly lookup: ResourceLookup,
    private readonly audit: AuditService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.get<AuthorizeDeclaration | undefined>(AUTHORIZE_METADATA, ctx.getHandler());
    if (declaration?.action === 'public') return true;
    const { request, args, operation } = handlerCall(ctx);
    const principal = request.principal;
    // The authentication hook refuses unauthenticated requests first; this is a second lock.
    if (!principal) throw new CommonError(CommonErrorCode.UNAUTHENTICATED, MISSING_KEY_MESSAGE);
    if (!declaration) {
      const reason = `${operation} declares no authorization (denied by default)`;
      await this.audit.record({ principalId: principal.id, action: 'undeclared', resource: operation, outcome: 'denied', reason, requestId: request.id, operation });
      throw new CommonError(CommonErrorCode.FORBIDDEN, reason);
    }
    const input: AuthorizeInput = { params: request.params ?? {}, query: (request.query as Record<string, unknown>) ?? {}, body: request.body, args, principal };
    const resource: Resource = declaration.resource ? await declaration.resource(input, this.lookup) : MESH;
    const decision = authorize(principal, declaration.action, resource);
    decided.set(callKey(ctx), { action: declaration.action, resource: describeResource(resource) });
    if (decision.allow) return true;
    await this.audit.record({ principalId: principal.id, action: declaration.action, resource: describeResource(resource), outcome: 'denied', reason: decision.reason, requestId: request.id, operation });
    throw new CommonError(CommonErrorCode.FORBIDDEN, `forbidden: ${decision.reason}`, { action: declaration.action, reason: decision.reason });
  }
}
