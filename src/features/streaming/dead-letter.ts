import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';

/** Stream holding every source's dead letters (`tessera.dlq.<source name>`), created when missing. */
export const DLQ_STREAM = 'TESSERA_DLQ';
export const dlqSubject = (source: string): string => `tessera.dlq.${source}`;

/** Why a message was dead-lettered, and where it came from, as message headers (the body is the original). */
export const DLQ_HEADERS = {
  reason: 'Tessera-Dlq-Reason',
  field: 'Tessera-Dlq-Field',
  subject: 'Tessera-Source-Subject',
  stream: 'Tessera-Source-Stream',
  sequence: 'Tessera-Source-Sequence',
} as const;

export interface DeadLetter {
  source: string;
  stream: string;
  sequence: number;
  subject: string;
  data: Uint8Array;
  reason: string;
  field: string | null;
}

export async function ensureDlqStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(DLQ_STREAM);
  } catch {
    await jsm.streams.add({ name: DLQ_STREAM, subjects: ['tessera.dlq.>'] });
  }
}

/**
 * Publishes a dead letter. The message id is the original's stream sequence, so a batch redelivered
 * after a crash between this publish and the ack dead-letters each message once (the DLQ stream's
 * duplicate window, 2 min by default).
 */
export async function publishDeadLetter(js: JetStreamClient, d: DeadLetter): Promise<void> {
  const h = headers();
  // Header values are one line: a reason that quotes a value with a newline must not break the header.
  h.set(DLQ_HEADERS.reason, d.reason.replace(/[\r\n]+/g, ' ').slice(0, 1000));
  if (d.field !== null) h.set(DLQ_HEADERS.field, d.field);
  h.set(DLQ_HEADERS.subject, d.subject);
  h.set(DLQ_HEADERS.stream, d.stream);
  h.set(DLQ_HEADERS.sequence, String(d.sequence));
  await js.publish(dlqSubject(d.source), d.data, { headers: h, msgID: `${d.stream}:${d.sequence}` });
}
