import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';

const logger = new Logger('PostgreSQL');
let lastLogged = 0;

/**
 * The pool's client class. node-postgres emits 'error' on a client whose connection breaks; the pool
 * listens only while the client is idle, so a server restart during a checked-out client's work
 * (an ingest's COPY, a cursor) would be an unhandled 'error' event and end the process. Here every
 * client always has a listener: the broken connection fails the query it was running (the request
 * answers 503 DATABASE_UNAVAILABLE) and the pool drops the client on release.
 */
export class ResilientPgClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (err: Error) => {
      // A restart breaks every pooled connection at once: one line, then at most one every 30 s.
      if (Date.now() - lastLogged > 30_000) {
        lastLogged = Date.now();
        logger.warn(`connection lost: ${err.message}`);
      }
    });
  }
}
