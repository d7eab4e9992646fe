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
  /** Set by end(): the pool is closing this client (a shutdown), so the server going away is expected. */
  private closing = false;

  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (err: Error) => {
      // pool.end() resolves once it has asked each client to end, not once each backend has gone: an
      // embedded server stopped right after can still cut a closing connection. Nothing is lost then.
      if (this.closing) return;
      // A restart breaks every pooled connection at once: one line, then at most one every 30 s.
      if (Date.now() - lastLogged > 30_000) {
        lastLogged = Date.now();
        logger.warn(`connection lost: ${err.message}`);
      }
    });
  }

  override end(): Promise<void>;
  override end(callback: (err: Error) => void): void;
  override end(callback?: (err: Error) => void): Promise<void> | void {
    this.closing = true;
    return callback ? super.end(callback) : super.end();
  }
}
