import { ExecutionContext, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ModulesContainer, Reflector } from '@nestjs/core';
import { CommonError } from '../../src/common/errors/common-error';
import { FAST_ROUTES_METADATA } from '../../src/common/http/fast-route';
import { AuditService } from '../../src/governance/audit/audit.service';
import { AUTHORIZE_METADATA, AuthorizeDeclaration } from '../../src/governance/auth/authorize.decorator';
import { AuthorizationGuard } from '../../src/governance/auth/authorization.guard';
import { ResourceLookup } from '../../src/governance/auth/resource-lookup';
import { ALL_RESOLVERS } from '../../src/schema-emitter';
import { startTestApp, TestApp } from '../support/test-app';

const RESOLVER_NAME_METADATA = 'graphql:resolver_name';
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
/** Set by @ResolveField (whose name metadata is undefined unless a name is given). */
const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';
/** Any handler method, for reading its metadata. */
type Method = (...args: never[]) => unknown;
const isResolverMethod = (fn: Method): boolean => [RESOLVER_NAME_METADATA, RESOLVER_TYPE_METADATA, RESOLVER_PROPERTY_METADATA].some((k) => Reflect.getMetadata(k, fn) !== undefined);

type Handler = { name: string; declaration: AuthorizeDeclaration | undefined };

function methodsOf(cls: Type): [string, Method][] {
  const proto = cls.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, k)?.value === 'function')
    .map((k) => [k, proto[k] as Method]);
}

const declarationOf = (fn: Method): AuthorizeDeclaration | undefined => Reflect.getMetadata(AUTHORIZE_METADATA, fn);

/** Every REST route handler of the running application: Nest's controllers and the fast routes' providers (ADR 0037). */
function restHandlers(t: TestApp): Handler[] {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const fast = discovery.getProviders().filter((w) => typeof w.metatype === 'function' && Reflect.getMetadata(FAST_ROUTES_METADATA, w.metatype) === true);
  return [...discovery.getControllers(), ...fast].flatMap((wrapper) =>
    methodsOf(wrapper.metatype as Type)
      .filter(([, fn]) => Reflect.getMetadata(METHOD_METADATA, fn) !== undefined && Reflect.getMetadata(PATH_METADATA, fn) !== undefined)
      .map(([key, fn]) => ({ name: `${(wrapper.metatype as Type).name}.${key}`, declaration: declarationOf(fn) })),
  );
}

/** Every GraphQL resolver method (queries, mutations, field resolvers) of the app and of ALL_RESOLVERS. */
function graphqlHandlers(t: TestApp): Handler[] {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const classes = new Set<Type>(ALL_RESOLVERS);
  for (const w of discovery.getProviders()) {
    const cls = w.metatype as Type | undefined;
    if (cls && typeof cls === 'function' && cls.prototype && methodsOf(cls).some(([, fn]) => isResolverMethod(fn))) classes.add(cls);
  }
  return [...classes].flatMap((cls) =>
    methodsOf(cls)
      .filter(([, fn]) => isResolverMethod(fn))
      .map(([key, fn]) => ({ name: `${cls.name}.${key}`, declaration: declarationOf(fn) })),
  );
}

describe('every route and resolver declares its authorization', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:route-guards:' });
  });
  afterAll(() => t.close());

  it('finds the handlers it checks (the enumeration itself works)', () => {
    const rest = restHandlers(t).map((h) => h.name);
    const gql = graphqlHandlers(t).map((h) => h.name);
    expect(rest).toEqual(expect.arrayContaining(['ApplyController.apply', 'IngestController.rows', 'ServingController.getOnlineFeatures', 'HealthController.health', 'ModelsController.upload']));
    expect(gql).toEqual(expect.arrayContaining(['CatalogResolver.dataProducts', 'ApplyResolver.applyContracts', 'ModelsResolver.stageHistory', 'AuthResolver.createApiKey', 'AuditResolver.auditLog']));
  });

  it('has no REST route without @Authorize', () => {
    const missing = restHandlers(t)
      .filter((h) => !h.declaration)
      .map((h) => h.name)
      .sort();
    expect(missing).toEqual([]);
  });

  it('has no GraphQL resolver without @Authorize', () => {
    const missing = graphqlHandlers(t)
      .filter((h) => !h.declaration)
      .map((h) => h.name)
      .sort();
    expect(missing).toEqual([]);
  });

  it('opens only /health, /ready, the API description (/openapi.json, /docs: no data) and the portal sign-in/out to the public', () => {
    const open = [...restHandlers(t), ...graphqlHandlers(t)]
      .filter((h) => h.declaration?.action === 'public')
      .map((h) => h.name)
      .sort();
    // A browser opening /docs cannot send a key, nor can the reference page's first fetch of /openapi.json.
    // The portal's sign-in carries the key in its body and checks it itself; sign-out only clears the cookie.
    expect(open).toEqual([
      'ApiDocsController.document',
      'ApiDocsController.reference',
      'HealthController.health',
      'HealthController.ready',
      'SessionController.oidcBegin',
      'SessionController.oidcCallback',
      'SessionController.options',
      'SessionController.signIn',
      'SessionController.signOut',
    ]);
  });

  it('denies, by default, a handler that declares nothing, and records the denial', async () => {
    class Undeclared {
      handler(this: void): void {}
    }
    const recorded: unknown[] = [];
    const guard = new AuthorizationGuard(new Reflector(), t.app.get(ResourceLookup), { record: async (r: unknown) => void recorded.push(r) } as unknown as AuditService);
    const request = { id: 'r1', method: 'POST', url: '/x', principal: { id: 'admin', kind: 'person', displayName: 'a', roles: [{ role: 'admin' }] } };
    const ctx = { getHandler: () => Undeclared.prototype.handler, getClass: () => Undeclared, getType: () => 'http', switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
    await expect(guard.canActivate(ctx)).rejects.toThrow(CommonError);
    await expect(guard.canActivate(ctx)).rejects.toThrow('POST /x declares no authorization (denied by default)');
    expect(recorded[0]).toMatchObject({ principalId: 'admin', outcome: 'denied', action: 'undeclared' });
  });
});
