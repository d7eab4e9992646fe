import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { registerAdminKeyHook } from './common/auth/admin-key.hook';
import { registerBodyParsers } from './common/http/body-parsers';
import { TesseraConfig } from './config/tessera-config';
import { PinoNestLogger } from './observability/logging/pino-nest-logger';
import { fastifyLoggingOptions, registerRequestLogging } from './observability/logging/request-logging';
import { createRootLogger } from './observability/logging/root-logger';
import { registerHttpMetrics } from './observability/metrics/http-metrics.hook';
import { MetricsService } from './observability/metrics/metrics.service';

/** Builds the Nest application on Fastify; used by `main.ts` and by the end-to-end tests. */
export async function createApp(config: TesseraConfig, dataSource: DataSource, options: { logger?: boolean; logDestination?: DestinationStream } = {}): Promise<NestFastifyApplication> {
  // Structured JSON logs (pino) with a request id on every line; none at all when the caller says so (tests, benches).
  const root = options.logger === false ? undefined : createRootLogger(config.logLevel, options.logDestination);
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: true, ...fastifyLoggingOptions(root) });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource), adapter, {
    logger: root ? new PinoNestLogger(root) : false,
    bufferLogs: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestLogging(fastify, root !== undefined);
  registerHttpMetrics(fastify, app.get(MetricsService));
  registerBodyParsers(fastify);
  registerAdminKeyHook(fastify, config.adminKey);
  await app.init();
  return app;
}
