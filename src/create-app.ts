import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { registerAdminKeyHook } from './common/auth/admin-key.hook';
import { registerBodyParsers } from './common/http/body-parsers';
import { TesseraConfig } from './config/tessera-config';

/** Builds the Nest application on Fastify; used by `main.ts` and by the end-to-end tests. */
export async function createApp(config: TesseraConfig, dataSource: DataSource, options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource), adapter, {
    logger: options.logger === false ? false : ['error', 'warn', 'log'],
    bufferLogs: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(fastify);
  registerAdminKeyHook(fastify, config.adminKey);
  await app.init();
  return app;
}
