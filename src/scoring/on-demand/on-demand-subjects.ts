import { RetentionPolicy } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** Work-queue stream of prediction requests (ADR 0027): a message leaves it once a worker acks it. */
export const PREDICT_STREAM = 'TESSERA_PREDICT';
/** Stream of answers, kept an hour; its duplicate window makes a redelivered request's answer land once. */
export const RESULTS_STREAM = 'TESSERA_PREDICTIONS';

export const predictSubject = (model: string): string => `tessera.predict.${model}`;
export const resultSubject = (model: string, requestId: string): string => `tessera.predictions.${model}.${requestId}`;
/** The durable pull consumer of one model, shared by every process that serves it. */
export const workerConsumer = (model: string): string => `tessera_predict_${model}`;

export const ON_DEMAND_HEADERS = {
  /** Request: the caller's id, echoed as the answer's requestId and the last token of its subject. */
  requestId: 'Tessera-Request-Id',
  /** Request: `Bearer <api key>`, verified as for REST. */
  authorization: 'Authorization',
  /** Answer: the HTTP status REST would have answered (200, 400, 403, 409, 503 …). */
  status: 'Tessera-Status',
  /** Answer: the error code of an error answer. */
  errorCode: 'Tessera-Error-Code',
} as const;

/** A request id is one subject token. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** Deliveries of a request before its answer is a 503 error result (a failing store, a crashing worker). */
export const MAX_DELIVER = 5;
/** How long an answer is kept, and how long a re-published answer is recognised as a duplicate. */
const RESULTS_MAX_AGE_MS = 3_600_000;
const RESULTS_DUPLICATE_WINDOW_MS = 600_000;

/** Creates both streams when missing (idempotent; several processes may start at once). */
export async function ensureOnDemandStreams(jsm: JetStreamManager): Promise<void> {
  await ensureStream(jsm, { name: PREDICT_STREAM, subjects: ['tessera.predict.>'], retention: RetentionPolicy.Workqueue });
  await ensureStream(jsm, {
    name: RESULTS_STREAM,
    subjects: ['tessera.predictions.>'],
    max_age: nanos(RESULTS_MAX_AGE_MS),
    duplicate_window: nanos(RESULTS_DUPLICATE_WINDOW_MS),
  });
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config).catch(async (e: Error) => {
      // Another process created it in between.
      if (!/already in use|exists/i.test(e.message)) throw e;
      await jsm.streams.info(config.name);
    });
  }
}
