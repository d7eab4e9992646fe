import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { Principal } from './principal';

/** The request object of an HTTP or GraphQL call (GraphQL's context carries the Fastify request as `req`). */
export function requestOf(ctx: ExecutionContext): { principal?: Principal } {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext<{ req: { principal?: Principal } }>().req;
  return ctx.switchToHttp().getRequest<{ principal?: Principal }>();
}

/**
 * The authenticated caller, set as `request.principal` by the authentication hook on every route
 * but /health and /ready (which have no caller to ask for). Absent anywhere else is a bug, so it
 * fails closed instead of assuming anyone.
 */
export function principalOf(request: { principal?: Principal }): Principal {
  if (!request.principal) throw new CommonError(CommonErrorCode.UNAUTHENTICATED, 'missing Authorization: Bearer <api key>');
  return request.principal;
}

/** Parameter decorator for controllers and resolvers: `@CurrentPrincipal() who: Principal`. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => principalOf(requestOf(ctx)));
