import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ApplyService } from './catalog/apply/apply.service';
import { readContractDirectory } from './catalog/apply/read-contract-directory';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './common/database/embedded-postgres';
import { ADVISORY_LOCKS, withAdvisoryLock } from './common/database/advisory-lock';
import { openDatabase } from './database';
import { ConfigError, TesseraConfig } from './config/tessera-config';
import { createApp } from './create-app';
import { PinoNestLogger } from './observability/logging/pino-nest-logger';
import { createRootLogger } from './observability/logging/root-logger';

let embedded: EmbeddedPostgresHandle | undefined;

async function bootstrap(): Promise<void> {
  const logger = new Logger('Tessera');
  let config: TesseraConfig;
  try {
    config = TesseraConfig.fromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  // JSON logs from the first line on (the app's own logger takes over once it is created).
  Logger.overrideLogger(new PinoNestLogger(createRootLogger(config.logLevel)));
  if (config.embedded) embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort);
  const dataSource = await openDatabase(config.databaseUrl ?? embedded!.url);
  const app = await createApp(config, dataSource);

  const applyDir = config.applyOnStartDir;
  if (applyDir) {
    // Replicas starting at once apply in turn: the first applies, the others find nothing changed.
    const report = await withAdvisoryLock(dataSource, ADVISORY_LOCKS.startup, () => app.get(ApplyService).apply({ files: readContractDirectory(applyDir), dryRun: false }));
    if (report.applied) logger.log(`applied ${applyDir}: ${report.message}`);
    else logger.error(`could not apply ${applyDir}: ${report.message}\n${JSON.stringify(report.errors, null, 2)}`);
  } else {
    logger.log(`applied nothing at start-up: ${config.applyOnStartSkippedBecause}`);
  }

  await app.listen({ port: config.port, host: config.host });
  logger.log(`Tessera listening on http://${config.host}:${config.port} (GraphQL at /graphql)`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // Bounded: a request that never ends must not keep a terminated instance alive forever.
    setTimeout(() => {
      logger.error(`shutdown did not finish in ${config.shutdownTimeoutMs} ms: exiting anyway`);
      // Never leave an orphaned embedded server behind, but do not wait long for it either.
      setTimeout(() => process.exit(1), 5000).unref();
      void (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
    }, config.shutdownTimeoutMs).unref();
    logger.log(`${signal}: no new connections; draining requests in flight`);
    // The HTTP server first: Fastify stops accepting, answers 503 on kept-alive connections and waits
    // for the requests in flight. Only then Nest's close(), whose destroy hooks flush the prediction
    // log and close the online store and schedulers (its own HTTP close comes last, too late to drain).
    const fastify = app.getHttpAdapter().getInstance();
    // A kept-alive connection whose request ends during the drain would otherwise hold close() open:
    // Node closes idle connections only at the moment close() is called.
    const idleSweep = setInterval(() => fastify.server.closeIdleConnections(), 100);
    await fastify.close();
    clearInterval(idleSweep);
    logger.log('HTTP server closed; flushing the prediction log and closing the stores');
    await app.close();
    await dataSource.destroy();
    await embedded?.stop();
    logger.log('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

bootstrap().catch(async (err: unknown) => {
  console.error('Tessera failed to start:', err instanceof Error ? err.message : err);
  await embedded?.stop().catch(() => undefined); // never leave an orphaned embedded server behind
  process.exit(1);
});
