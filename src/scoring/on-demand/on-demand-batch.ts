import { Injectable, Logger } from '@nestjs/common';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import type { TesseraError } from '../../common/errors/tessera-error';
import { toTesseraError } from '../../common/errors/to-tessera-error';
import { parseBody } from '../../common/http/parse-body';
import { AuditService } from '../../governance/audit/audit.service';
import { AuthenticationService } from '../../governance/auth/authentication.service';
import type { Principal } from '../../governance/auth/principal';
import { requireAllowed } from '../../governance/auth/require-allowed';
import { describeResource, type Resource } from '../../governance/auth/resource';
import { predictBody } from '../prediction/predict-request';
import type { PredictionResult } from '../prediction/prediction';
import { type PredictItem, PredictionService } from '../prediction/prediction.service';
import { OnDemandMetrics } from './on-demand-metrics';
import { MAX_DELIVER, ON_DEMAND_HEADERS, predictSubject, REQUEST_ID_PATTERN, resultSubject } from './on-demand-subjects';

/** The audit trail's operation of an on-demand request: the subject it came on. */
const onDemandOperation = (model: string): string => `NATS ${predictSubject(model)}`;

/** Redelivery delay of a batch that failed through no fault of its requests: 0.5 s doubling, at most 10 s. */
const retryDelayMs = (deliveries: number): number => Math.min(10_000, 500 * 2 ** Math.max(0, deliveries - 1));

interface Parsed {
  msg: JsMsg;
  requestId: string;
  item?: PredictItem;
  /** Set when the request itself is wrong: its answer is this error, never a redelivery. */
  error?: TesseraError;
}

/**
 * Scores one batch of requests for one model (ADR 0027): each request parsed and its caller
 * authenticated and authorized as `POST /v1/models/{name}/predict` would, then every valid request
 * scored by the prediction service in one call (one online read, one ONNX run per version). Each
 * answer is published with `Nats-Msg-Id = <model>:<request id>` before its request is acked, so a
 * request redelivered after a crash answers once. Bad requests get an error result and are acked;
 * a failure of the stores naks the batch with a growing delay, and on the last delivery answers 503.
 */
@Injectable()
export class OnDemandBatch {
  private readonly logger = new Logger('OnDemand');

  constructor(
    private readonly prediction: PredictionService,
    private readonly auth: AuthenticationService,
    private readonly metrics: OnDemandMetrics,
    private readonly audit: AuditService,
  ) {}

  async handle(js: JetStreamClient, model: string, batch: JsMsg[]): Promise<void> {
    const started = performance.now();
    this.metrics.batchSize.observe({ model }, batch.length);
    const parsed = await Promise.all(batch.map((m) => this.parse(model, m)));
    const valid = parsed.filter((p) => p.item);
    let answers: (PredictionResult | Error)[] = [];
    let answering = parsed;
    try {
      answers =
        valid.length > 0
          ? await this.prediction.predictBatch(
              model,
              valid.map((p) => p.item!),
            )
          : [];
    } catch (err) {
      const { error, unexpected } = toTesseraError(err);
      if (error.surface.http < 500) {
        // The model itself cannot answer (not found, not deployed): every request's answer, not a retry.
        answers = valid.map(() => error);
      } else {
        if (unexpected) this.logger.error(`batch of ${model} failed: ${err instanceof Error ? err.stack : String(err)}`);
        await this.retryOrGiveUp(js, model, valid, error);
        answering = parsed.filter((p) => !p.item);
      }
    }
    const results = new Map<Parsed, PredictionResult | Error>(valid.map((p, i) => [p, answers[i]]));
    await Promise.all(
      answering.map(async (p) => {
        const answer = p.error ?? results.get(p);
        if (!answer) return;
        await this.publish(js, model, p, answer);
        p.msg.ack();
      }),
    );
    this.metrics.batchDuration.observe({ model }, (performance.now() - started) / 1000);
  }

  private async parse(model: string, msg: JsMsg): Promise<Parsed> {
    const given = msg.headers?.get(ON_DEMAND_HEADERS.requestId) ?? '';
    const requestId = REQUEST_ID_PATTERN.test(given) ? given : `invalid-${msg.seq}`;
    try {
      if (requestId !== given)
        throw new CommonError(CommonErrorCode.BAD_REQUEST, `invalid request: header ${ON_DEMAND_HEADERS.requestId}: ${given ? 'must be 1–128 letters, digits, _ or -' : 'missing'}`, [
          { field: `headers.${ON_DEMAND_HEADERS.requestId}`, reason: given ? 'must be 1–128 letters, digits, _ or -' : 'missing' },
        ]);
      const caller = await this.authenticated(model, requestId, msg);
      await this.authorized(caller, model, requestId);
      let body: unknown;
      try {
        body = msg.json<unknown>();
      } catch (e) {
        throw new CommonError(CommonErrorCode.MALFORMED_BODY, `malformed JSON body: ${(e as Error).message}`);
      }
      const req = parseBody(predictBody, body);
      return { msg, requestId, item: { req: { entities: req.entities, requestFeatures: req.request_features ?? {} }, caller, requestId } };
    } catch (err) {
      const { error } = toTesseraError(err);
      return { msg, requestId, error };
    }
  }

  /** The caller of one request, as REST's authentication hook finds it; a refusal is recorded in the audit trail as REST records it. */
  private async authenticated(model: string, requestId: string, msg: JsMsg): Promise<Principal> {
    try {
      return await this.auth.authenticate(msg.headers?.get(ON_DEMAND_HEADERS.authorization) || undefined);
    } catch (err) {
      const { error } = toTesseraError(err);
      await this.audit.record({ principalId: null, action: 'authenticate', resource: `model:${model}`, outcome: 'denied', reason: error.message, requestId, operation: onDemandOperation(model) });
      throw err;
    }
  }

  /** REST's guard decision for `POST /v1/models/{name}/predict`, with its denial recorded in the audit trail. */
  private async authorized(caller: Principal, model: string, requestId: string): Promise<void> {
    const resource: Resource = { type: 'model', name: model, domains: [] };
    try {
      requireAllowed(caller, 'models.predict', resource);
    } catch (err) {
      const reason = ((err as CommonError).details as { reason?: unknown } | undefined)?.reason;
      await this.audit.record({
        principalId: caller.id,
        action: 'models.predict',
        resource: describeResource(resource),
        outcome: 'denied',
        reason: typeof reason === 'string' ? reason : (err as Error).message,
        requestId,
        operation: onDemandOperation(model),
      });
      throw err;
    }
  }

  /** Nak for a later delivery; a request on its last delivery is answered with the failure instead. */
  private async retryOrGiveUp(js: JetStreamClient, model: string, failed: Parsed[], error: TesseraError): Promise<void> {
    await Promise.all(
      failed.map(async (p) => {
        const deliveries = p.msg.info.deliveryCount;
        if (deliveries < MAX_DELIVER) {
          p.msg.nak(retryDelayMs(deliveries));
          this.metrics.requests.inc({ model, outcome: 'retried' });
          return;
        }
        await this.publish(js, model, p, error);
        p.msg.ack();
      }),
    );
  }

  private async publish(js: JetStreamClient, model: string, p: Parsed, answer: PredictionResult | Error): Promise<void> {
    const h = natsHeaders();
    h.set(ON_DEMAND_HEADERS.requestId, p.requestId);
    let body: unknown = answer;
    if (answer instanceof Error) {
      const { error } = toTesseraError(answer);
      h.set(ON_DEMAND_HEADERS.status, String(error.surface.http));
      h.set(ON_DEMAND_HEADERS.errorCode, error.code);
      body = error.toBody();
      this.metrics.requests.inc({ model, outcome: 'error' });
    } else {
      h.set(ON_DEMAND_HEADERS.status, '200');
      this.metrics.requests.inc({ model, outcome: 'answered' });
    }
    await js.publish(resultSubject(model, p.requestId), JSON.stringify(body), { msgID: `${model}:${p.requestId}`, headers: h });
    this.metrics.latency.observe({ model }, Math.max(0, Date.now() - p.msg.info.timestampNanos / 1e6) / 1000);
  }
}
