import { SetMetadata } from '@nestjs/common';
import type { Action } from './actions';
import type { Principal } from './principal';
import type { Resource } from './resource';
import type { ResourceLookup } from './resource-lookup';

export const AUTHORIZE_METADATA = 'tessera:authorize';

/** What a resource function sees of the request: REST params, query and body, or GraphQL args. */
export interface AuthorizeInput {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  args: Record<string, unknown>;
  principal: Principal;
}

export type ResourceFn = (input: AuthorizeInput, lookup: ResourceLookup) => Resource | Promise<Resource>;

export type AuthorizeDeclaration = { action: Action; resource?: ResourceFn } | { action: 'public' };

/**
 * Declares the action a route or resolver performs (and, for domain-scoped actions, how to find the
 * resource's domain). The global guard denies every handler without a declaration.
 */
export const Authorize = (action: Action, resource?: ResourceFn): MethodDecorator => SetMetadata(AUTHORIZE_METADATA, { action, resource } satisfies AuthorizeDeclaration);

/** A route anyone may call without a key (only /health and /ready). */
export const PublicRoute = (): MethodDecorator => SetMetadata(AUTHORIZE_METADATA, { action: 'public' } satisfies AuthorizeDeclaration);
