import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { BOOTSTRAP_ADMIN, Principal } from './principal';

/** The request object of an HTTP or GraphQL call (GraphQL's context carries the Fastify request as `req`). */
export function requestOf(ctx: ExecutionContext): { principal?: Principal } {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext<{ req: { principal?: Principal } }>().req;
  return ctx.switchToHttp().getRequest<{ principal?: Principal }>();
}

/**
 * The authenticated caller. The authentication hook sets `request.principal`.
 * TODO(issue 5): until per-principal keys land, an unauthenticated request (no TESSERA_ADMIN_KEY) is the
 * bootstrap admin; the authentication work removes this fallback.
 */
export function principalOf(request: { principal?: Principal }): Principal {
  return request.principal ?? BOOTSTRAP_ADMIN;
}

/** Parameter decorator for controllers and resolvers: `@CurrentPrincipal() who: Principal`. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => principalOf(requestOf(ctx)));
