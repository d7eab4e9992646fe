import { Logger } from '@nestjs/common';
import { TesseraError } from '../../common/errors/tessera-error';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { InvalidKeyValueError } from './entity-key-codec';
import { REDIS_TIMEOUTS } from './redis-connection';

const logger = new Logger('OnlineStore');
const LOG_EVERY_MS = 10_000;
let lastLogged = 0;

/**
 * A short, client-safe reason for a store failure. Driver and server messages stay in the log
 * (ADR 0004: no driver messages reach clients).
 */
function reason(err: Error): string {
  const m = err.message;
  if (/Command timed out/i.test(m)) return `no answer within ${REDIS_TIMEOUTS.commandTimeoutMs} ms`;
  if (/enableOfflineQueue|Connection is closed|isn't ready|not connected|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|timeout|terminat|connect|startup nodes|slots cache|ClusterAllFailed/i.test(m))
    return 'not connected';
  return 'request failed';
}

/**
 * Runs a store operation; any failure that is not already a client error becomes 503
 * ONLINE_STORE_UNAVAILABLE. Logged at most every 10 s so an outage does not flood the log.
 * One derived promise, no async frame: it wraps every online read (issue 16).
 */
export function guardStore<T>(kind: string, op: () => Promise<T>): Promise<T> {
  try {
    return op().catch((err: unknown) => Promise.reject(storeFailure(kind, err)));
  } catch (err) {
    return Promise.reject(storeFailure(kind, err));
  }
}

function storeFailure(kind: string, err: unknown): Error {
  if (err instanceof TesseraError || err instanceof InvalidKeyValueError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (Date.now() - lastLogged > LOG_EVERY_MS) {
    lastLogged = Date.now();
    logger.warn(`online store (${kind}) failed: ${e.message}`);
  }
  return new FeaturesError(FeaturesErrorCode.ONLINE_STORE_UNAVAILABLE, `online store (${kind}) unavailable: ${reason(e)}`);
}
