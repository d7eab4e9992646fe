import { randomUUID } from 'node:crypto';
import { LogController } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import '../../common/http/fast-route'; // its FastifyContextConfig.tesseraFastRoute
import { LazyChildLogger } from './lazy-child-logger';
import { requestContext } from './request-context';

/** An incoming X-Request-Id is kept only if it is a plain token (it ends up in logs and headers). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Probes and scrapes are not worth a log line each. */
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

/** Fastify options for logging: our pino root logger (or none), our request ids, our own access line. */
export function fastifyLoggingOptions(root: Logger | undefined): Pick<FastifyServerOptions, 'loggerInstance' | 'genReqId' | 'logController' | 'requestIdHeader' | 'childLoggerFactory'> {
  return {
    // request.log is built only if Fastify writes with it (lazy-child-logger.ts).
    ...(root ? { loggerInstance: root, childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger as Logger, bindings, options) } : {}),
    // Fastify's two lines per request are replaced by our one access line (registerRequestLogging).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
  };
}

/**
 * First hook of every request: enters the request context (so every log line written while serving it
 * carries its id) and echoes the id in X-Request-Id. With logging on, writes one access line per
 * answered request (never the headers: keys stay out of logs), through the root logger with `requestId`
 * (the same the mixin adds inside a request context), where Fastify's per-request child logger would add a second copy as `reqId`.
 */
export function registerRequestLogging(app: FastifyInstance, logAccess: boolean): void {
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    // Fast routes (ADR 0037) keep their id on the request: entering AsyncLocalStorage costs every
    // promise of the request a hook call. Their access line names the id itself (below); their
    // error handler enters the context for the lines it logs.
    if (request.routeOptions.config?.tesseraFastRoute === true) return done();
    requestContext.run({ requestId: request.id }, done);
  });
  if (!logAccess) return;
  // The access line holds only the fields below (the route's pattern, never the URL, headers or body):
  // nothing to redact, so its logger skips the root's redaction pass, half the line's cost (issue 16).
  const access = app.log.child({}, { redact: [] });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url;
    if (!route || !QUIET_ROUTES.has(route)) {
      access.info({ requestId: request.id, method: request.method, route: route ?? 'unmatched', statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 100) / 100 }, 'request completed');
    }
    done();
  });
}
