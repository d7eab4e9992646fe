import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { DiscoveryService } from '@nestjs/core';
import { API_DOC_METADATA, ApiDocDeclaration } from '../common/http/api-doc';
import { FAST_ROUTES_METADATA, joinRoutePath } from '../common/http/fast-route';
import { AUTHORIZE_METADATA, AuthorizeDeclaration } from '../governance/auth/authorize.decorator';

/** One REST route of the running application, as its controller declares it. */
export interface RestRoute {
  method: string;
  /** Fastify's form: `/v1/models/:name`. */
  path: string;
  handler: string;
  doc: ApiDocDeclaration | undefined;
  action: string | undefined;
}

/** Every controller method Nest routes and every fast route, read from the same metadata they are routed by. */
export function restRoutes(discovery: DiscoveryService): RestRoute[] {
  const routes: RestRoute[] = [];
  // Nest's controllers and the fast routes' providers (ADR 0037): both declare routes with the same decorators.
  const fast = discovery.getProviders().filter((w) => typeof w.metatype === 'function' && Reflect.getMetadata(FAST_ROUTES_METADATA, w.metatype) === true);
  for (const wrapper of [...discovery.getControllers(), ...fast]) {
    const cls = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!cls?.prototype) continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, cls) as string | undefined;
    for (const key of Object.getOwnPropertyNames(cls.prototype)) {
      const fn = Object.getOwnPropertyDescriptor(cls.prototype, key)?.value as unknown;
      if (key === 'constructor' || typeof fn !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      if (method === undefined || path === undefined) continue;
      const authorize = Reflect.getMetadata(AUTHORIZE_METADATA, fn) as AuthorizeDeclaration | undefined;
      for (const p of Array.isArray(path) ? path : [path]) {
        routes.push({
          method: RequestMethod[method],
          path: joinRoutePath(prefix, p),
          handler: `${cls.name}.${key}`,
          doc: Reflect.getMetadata(API_DOC_METADATA, fn) as ApiDocDeclaration | undefined,
          action: authorize?.action,
        });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
