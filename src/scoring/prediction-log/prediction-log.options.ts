/** Tuning of the prediction log writer (TESSERA_PREDICTION_LOG_*, read by TesseraConfig); defaults suit a single service instance. */
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
