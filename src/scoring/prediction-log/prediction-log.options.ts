import { z } from 'zod';

/** Tuning of the prediction log writer; defaults suit a single service instance. */
export interface PredictionLogOptions {
  /** Entries held in memory waiting for a flush; beyond it new entries are dropped and counted. */
  maxBuffered: number;
  /** Flush at least this often (ms) when anything is buffered. */
  flushIntervalMs: number;
  /** Flush as soon as this many entries are buffered; also the rows per INSERT. */
  batchSize: number;
  /** How long a resolved sample rate is reused before it is read again (ms). */
  rateCacheMs: number;
}

export const PREDICTION_LOG_OPTIONS = Symbol('PREDICTION_LOG_OPTIONS');

const int = (min: number) => z.coerce.number().int().min(min);
const envSchema = z.object({
  TESSERA_PREDICTION_LOG_BUFFER: int(1).default(10_000),
  TESSERA_PREDICTION_LOG_FLUSH_MS: int(10).default(1_000),
  TESSERA_PREDICTION_LOG_BATCH: int(1).default(500),
  TESSERA_PREDICTION_LOG_RATE_CACHE_MS: int(0).default(10_000),
});

/**
 * Read from the process environment.
 * TODO(issue 4): move these settings into TesseraConfig (config.schema.ts) with the other settings.
 */
export function predictionLogOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PredictionLogOptions {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('TESSERA_PREDICTION_LOG_') && v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) throw new Error(`Invalid configuration: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = result.data;
  return {
    maxBuffered: e.TESSERA_PREDICTION_LOG_BUFFER,
    flushIntervalMs: e.TESSERA_PREDICTION_LOG_FLUSH_MS,
    batchSize: Math.min(e.TESSERA_PREDICTION_LOG_BATCH, e.TESSERA_PREDICTION_LOG_BUFFER),
    rateCacheMs: e.TESSERA_PREDICTION_LOG_RATE_CACHE_MS,
  };
}
