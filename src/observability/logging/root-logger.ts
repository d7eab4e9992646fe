import pino, { Logger } from 'pino';
import { currentRequestId } from './request-context';

/**
 * Never written to logs, wherever they appear in a logged object: bearer tokens, API keys, secrets.
 * Fastify's request serializer logs headers only through these paths.
 */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.authorization', '*.apiKey', '*.api_key', '*.password', '*.secret', '*.token'];

/**
 * The process's structured JSON logger (pino). Each line gets the current request id through a mixin,
 * so lines written by Nest services deep inside a request are tied to it as well.
 */
export function createRootLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tessera' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination,
  );
}
