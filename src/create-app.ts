import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { registerDeveloperPages } from './api-docs/developer-pages';
import { registerPortal } from './portal/portal-pages';
import { AppModule } from './app.module';
import { CommonErrorCode } from './common/errors/common-error';
import { registerBodyParsers } from './common/http/body-parsers';
import { registerRateLimit } from './common/http/rate-limit';
import { TesseraConfig } from './config/tessera-config';
import { AuditService } from './governance/audit/audit.service';
import { registerAuthenticationHook } from './governance/auth/authentication.hook';
import { registerFastRoutes } from './governance/auth/fast-routes';
import { ONLINE_STORE, type OnlineStore } from './features/online/online-store';
import { AuthenticationService } from './governance/auth/authentication.service';
import { PinoNestLogger } from './observability/logging/pino-nest-logger';
import { requestContext } from './observability/logging/request-context';
import { fastifyLoggingOptions, registerRequestLogging } from './observability/logging/request-logging';
import { createRootLogger } from './observability/logging/root-logger';
import { registerHttpMetrics } from './observability/metrics/http-metrics.hook';
import { MetricsService } from './observability/metrics/metrics.service';

/** Builds the Nest application on Fastify; used by `main.ts` and by the end-to-end tests. */
export async function createApp(config: TesseraConfig, dataSource: DataSource, options: { logger?: boolean; logDestination?: DestinationStream } = {}): Promise<NestFastifyApplication> {
  // Structured JSON logs (pino) with a request id on every line; none at all when the caller says so (tests, benches).
  const root = options.logger === false ? undefined : createRootLogger(config.logLevel, options.logDestination);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    // Refused by the router before any hook (bad %-encoding, a path parameter over 100 characters):
    // answered in our error shape instead of Fastify's own.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      const status = err.statusCode === 414 ? 414 : 400;
      void reply
        .code(status)
        .send({ error: { code: CommonErrorCode.BAD_REQUEST, message: status === 414 ? 'a path parameter is too long' : 'the URL is not validly encoded', details: [{ field: '(url)', reason: err.code }] } });
    },
    ...fastifyLoggingOptions(root),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource), adapter, {
    logger: root ? new PinoNestLogger(root) : false,
    bufferLogs: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestLogging(fastify, root !== undefined);
  registerHttpMetrics(fastify, app.get(MetricsService));
  registerBodyParsers(fastify);
  // Always on (ADR 0009): without TESSERA_ADMIN_KEY a bootstrap key is generated into the data dir.
  registerAuthenticationHook(fastify, app.get(AuthenticationService), app.get(AuditService));
  // The GraphQL IDE answers a browser before Apollo; its assets come from node_modules, never a CDN.
  await registerDeveloperPages(app);
  // The portal (web/, ADR 0024) at /, when built; its data comes through /graphql with the session cookie.
  if (!(await registerPortal(app))) root?.info('portal not built (npm run build): / serves no pages');
  // Before init: the limiter hooks every route as it is declared.
  const online = app.get<OnlineStore>(ONLINE_STORE);
  await registerRateLimit(app, { perMinute: config.rateLimitPerMinute, roles: config.rateLimitRoles, principals: config.rateLimitPrincipals }, { redis: online.redis, prefix: `${config.redisPrefix}rl:` });
  // The hot routes (online features, health) as plain Fastify routes: every hook above still runs (ADR 0037).
  registerFastRoutes(app, (requestId, fn) => requestContext.run({ requestId }, fn));
  await app.init();
  return app;
}
