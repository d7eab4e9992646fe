import { SetMetadata } from '@nestjs/common';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv';
import { z } from 'zod';
import { CommonError, CommonErrorCode } from '../errors/common-error';
import { badRequest } from './parse-body';

/**
 * Hot routes served as plain Fastify routes (ADR 0037): a provider marked `@FastRoutes()` whose
 * `@Get`/`@Post` methods (with `@ApiDoc` and `@Authorize`, like any controller's) are registered on
 * the Fastify instance instead of through Nest's guard/interceptor chain. Every Fastify hook still
 * runs (request id, authentication, rate limit, metrics, access line); authorization and the body
 * check run in the route itself (src/governance/auth/fast-routes.ts).
 */
export const FAST_ROUTES_METADATA = 'tessera:fast-routes';
export const FAST_ROUTE_METADATA = 'tessera:fast-route';
declare module 'fastify' {
  interface FastifyContextConfig {
    /** A fast route: the request id is kept on the request, no AsyncLocalStorage is entered (request-logging.ts). */
    tesseraFastRoute?: boolean;
  }
}

export interface FastRouteOptions {
  /** JSON Schema of the answer (for the route's status): Fastify compiles its serializer (fast-json-stringify) from it. */
  response?: Record<string, unknown>;
  /** A hand-written encoder of the answer instead (used as the route's serializer for its status). */
  serialize?: (payload: never) => string;
}

/** Marks a provider (never also a Nest controller) whose routed methods are fast routes. */
export const FastRoutes = (): ClassDecorator => SetMetadata(FAST_ROUTES_METADATA, true);
/** Marks one method of a `@FastRoutes()` provider; it is called as `(request, reply)`. */
export const FastRoute = (options: FastRouteOptions = {}): MethodDecorator => SetMetadata(FAST_ROUTE_METADATA, options);

/** One ajv for every fast route: no type coercion (zod coerces nothing either), defaults applied, every error reported. */
const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false });

/** A field name as parseBody writes it (`entities.driver_id`) from an ajv error. */
function fieldOf(e: ErrorObject): string {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') path.push(String((e.params as { missingProperty: string }).missingProperty));
  return path.join('.') || '(body)';
}

function reasonOf(e: ErrorObject): string {
  const name = (e as ErrorObject & { propertyName?: string }).propertyName;
  return name !== undefined ? `key ${JSON.stringify(name)}: ${e.message ?? 'invalid'}` : (e.message ?? 'invalid');
}

/**
 * A compiled check of a body against the JSON Schema of the route's zod body (the one @ApiDoc
 * documents, so document and check cannot drift). Refinements zod cannot express in JSON Schema are
 * the handler's to check. A bad body is refused like parseBody refuses it: same codes, every problem
 * named by field and reason.
 */
export function compileBodyCheck<T>(schema: z.ZodType): (body: unknown) => T {
  const validate = ajv.compile(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  return (body: unknown): T => {
    if (body === undefined || body === null || typeof body !== 'object') throw new CommonError(CommonErrorCode.MALFORMED_BODY, 'request body must be a JSON object');
    if (validate(body)) return body as T;
    // ajv reports a bad property name twice (the inner reason, then "property name must be valid"): keep the inner one.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'propertyNames');
    throw badRequest(errors.map((e) => ({ field: fieldOf(e), reason: reasonOf(e) })));
  };
}

/** A route's path from its controller's and its method's path parts, as Nest joins them: `/a/b`, no doubled or trailing slash. */
export const joinRoutePath = (...parts: (string | undefined)[]): string =>
  '/' +
  parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter((p) => p !== '')
    .join('/');
