import { HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { FAST_ROUTE_METADATA, FAST_ROUTES_METADATA, FastRouteOptions, joinRoutePath } from '../../common/http/fast-route';
import { AuditService } from '../audit/audit.service';
import { Action, WRITE_ACTIONS } from './actions';
import { MISSING_KEY_MESSAGE } from './authentication.service';
import { authorize, Decision } from './authorize';
import { AUTHORIZE_METADATA, AuthorizeDeclaration } from './authorize.decorator';
import type { Principal } from './principal';
import { describeResource, MESH, type Resource } from './resource';
import { ResourceLookup } from './resource-lookup';

type FastHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/** One fast route found on a `@FastRoutes()` provider. */
export interface FastRouteEntry {
  method: HTTPMethods;
  url: string;
  handler: string;
  declaration: AuthorizeDeclaration;
  status: number;
  options: FastRouteOptions;
  call: FastHandler;
}

/** Every fast route of the application, from the same metadata a Nest controller is routed by. */
export function fastRoutes(modules: ModulesContainer): FastRouteEntry[] {
  const entries: FastRouteEntry[] = [];
  for (const wrapper of new DiscoveryService(modules).getProviders()) {
    const cls = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!cls?.prototype || Reflect.getMetadata(FAST_ROUTES_METADATA, cls) !== true || !wrapper.instance) continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, cls) as string | undefined;
    for (const key of Object.getOwnPropertyNames(cls.prototype)) {
      const fn = Object.getOwnPropertyDescriptor(cls.prototype, key)?.value as unknown;
      if (key === 'constructor' || typeof fn !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, fn) as string | undefined;
      const options = Reflect.getMetadata(FAST_ROUTE_METADATA, fn) as FastRouteOptions | undefined;
      if (method === undefined || path === undefined) continue;
      const handler = `${cls.name}.${key}`;
      if (!options) throw new Error(`${handler} is routed on a @FastRoutes() provider without @FastRoute()`);
      const declaration = Reflect.getMetadata(AUTHORIZE_METADATA, fn) as AuthorizeDeclaration | undefined;
      // Fails at start-up, not per request: a fast route without a declaration would have no lock at all.
      if (!declaration) throw new Error(`${handler} declares no authorization`);
      // Allowed writes are recorded by the audit interceptor, which only runs on Nest routes.
      if (declaration.action !== 'public' && WRITE_ACTIONS.has(declaration.action)) throw new Error(`${handler} performs ${declaration.action}: writes stay on Nest routes (audit)`);
      const verb = RequestMethod[method];
      const status = (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (verb === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
      const instance = wrapper.instance as Record<string, FastHandler>;
      entries.push({ method: verb, url: joinRoutePath(prefix, path), handler, declaration, status, options, call: instance[key].bind(instance) });
    }
  }
  return entries;
}

/**
 * Authorization of a fast route, as the AuthorizationGuard decides it for Nest routes: same decision
 * (`authorize()`), same 401/403 errors, denials written to the audit trail before the answer leaves.
 * A mesh-wide action's decision depends on the principal only, so it is computed once per principal
 * object (the authentication cache hands out one object per key until the key or its grants change).
 */
function authorization(entry: FastRouteEntry & { declaration: { action: Action } }, lookup: ResourceLookup, audit: AuditService) {
  const { action, resource: resourceOf } = entry.declaration;
  const decided = new WeakMap<Principal, Decision>();
  const operation = `${entry.method} ${entry.url}`;
  const refuse = async (request: FastifyRequest, principal: Principal, resource: string, decision: Decision): Promise<never> => {
    await audit.record({ principalId: principal.id, action, resource, outcome: 'denied', reason: decision.reason, requestId: request.id, operation });
    throw new CommonError(CommonErrorCode.FORBIDDEN, `forbidden: ${decision.reason}`, { action, reason: decision.reason });
  };
  if (resourceOf) {
    return (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
      const principal = request.principal;
      if (!principal) return done(new CommonError(CommonErrorCode.UNAUTHENTICATED, MISSING_KEY_MESSAGE));
      const input = { params: (request.params ?? {}) as Record<string, string>, query: (request.query ?? {}) as Record<string, unknown>, body: request.body, args: {}, principal };
      const decide = (resource: Resource): void => {
        const decision = authorize(principal, action, resource);
        if (decision.allow) return done();
        refuse(request, principal, describeResource(resource), decision).catch((err: Error) => done(err));
      };
      try {
        const resource = resourceOf(input, lookup);
        // Most resource functions name the resource from the request without a lookup: decided in this turn.
        if (resource instanceof Promise) resource.then(decide, (err: Error) => done(err));
        else decide(resource);
      } catch (err) {
        done(err as Error);
      }
    };
  }
  const mesh = describeResource(MESH);
  // Callback style: an allowed caller goes on without a promise.
  return (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    const principal = request.principal;
    if (!principal) return done(new CommonError(CommonErrorCode.UNAUTHENTICATED, MISSING_KEY_MESSAGE));
    let decision = decided.get(principal);
    if (!decision) decided.set(principal, (decision = authorize(principal, action, MESH)));
    if (decision.allow) return done();
    refuse(request, principal, mesh, decision).catch((err: Error) => done(err));
  };
}

/**
 * Registers every fast route on the Fastify instance (before app.init(): the instance's hooks —
 * request id, authentication, rate limit, metrics, access line — are attached to every route at
 * ready). Errors go to the instance's error handler (Nest's, which formats them like any route's),
 * run inside `inContext` so the lines it logs carry the request id.
 */
export function registerFastRoutes(app: NestFastifyApplication, inContext: <T>(requestId: string, fn: () => T) => T): FastRouteEntry[] {
  const fastify = app.getHttpAdapter().getInstance();
  const entries = fastRoutes(app.get(ModulesContainer));
  const lookup = app.get(ResourceLookup);
  const audit = app.get(AuditService);
  for (const entry of entries) {
    const { declaration, status, call } = entry;
    fastify.route({
      method: entry.method,
      url: entry.url,
      config: { tesseraFastRoute: true },
      ...(entry.options.response || entry.options.serialize ? { schema: { response: { [status]: entry.options.response ?? {} } } } : {}),
      ...(entry.options.serialize ? { serializerCompiler: () => entry.options.serialize as (payload: unknown) => string } : {}),
      ...(declaration.action === 'public' ? {} : { preHandler: authorization(entry as FastRouteEntry & { declaration: { action: Action } }, lookup, audit) }),
      errorHandler: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => inContext(request.id, () => fastify.errorHandler.call(fastify, err, request, reply)),
      handler: (request: FastifyRequest, reply: FastifyReply) => {
        void reply.code(status);
        return call(request, reply);
      },
    });
  }
  return entries;
}
