import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor, type Json, type TourContext } from './tour-context';

const EXAMPLE = 'examples/driver-risk-daily';
const CONTRACT = `${EXAMPLE}/risk-driver-daily-scores/predictions.odcs.yaml`;

/** Step 18: precompute — a model run over every driver as of a time, its scores read by lookup (ADR 0035). */
export async function precomputeSteps(c: TourContext): Promise<void> {
  const { out, admin, r, root, cli, now } = c;
  out.step(
    18,
    'Precompute: every driver scored as of a time, read by lookup.',
    `The same ONNX bytes as \`driver_risk\`, published as \`driver_risk_daily\` with a \`batchScoring\` block ([\`${EXAMPLE}/\`](${EXAMPLE}/)): a job reads every driver’s features **as of** a time from the offline store (point-in-time, never the newer online values), scores them in chunks, writes the predictions into a table port whose contract the service derives from the model, and refreshes an online view over it ([ADR 0035](docs/adr/0035-batch-scoring.md)). Its cron runs it daily; here it is asked for once:`,
  );
  out.shell(`npm run tessera --silent -- apply ${EXAMPLE}`);
  r.precomputeApplied = await cli(resolve(root, EXAMPLE));
  out.show(r.precomputeApplied.stdout || r.precomputeApplied.stderr);
  const derived = await admin.send<string>('GET', '/v1/models/driver_risk_daily/versions/1.0.0/predictions-contract?format=yaml');
  const committed = readFileSync(resolve(root, CONTRACT), 'utf8');
  // The team starts from the derived contract and adds its service levels (the policies require them).
  const added = committed.startsWith(String(derived.body)) ? committed.slice(String(derived.body).length) : null;
  r.contractDerived = { status: derived.status, extendsDerived: added !== null };
  out.shell(
    `curl -s "$TESSERA_URL/v1/models/driver_risk_daily/versions/1.0.0/predictions-contract?format=yaml" -H "$AUTH" | diff - ${CONTRACT} | head -4     # the committed contract: the derived one plus the team's SLA`,
  );
  out.show(added === null ? `Files - and ${CONTRACT} differ` : diffLines(String(derived.body), added).slice(0, 4).join('\n'));

  const asOf = new Date(Math.floor(now() / 60_000) * 60_000).toISOString();
  await modelAgreements(c, asOf);
  out.shell(
    `curl -s -XPOST $TESSERA_URL/v1/models/driver_risk_daily/batch-scoring -H "$AUTH" -H 'content-type: application/json' -d "{\\"version\\":\\"1.0.0\\",\\"as_of\\":\\"$(date -u +%FT%H:%M:00Z)\\"}" | jq -c '.job | {id, status, asOf}'`,
  );
  const queued = await admin.send<Json>('POST', '/v1/models/driver_risk_daily/batch-scoring', { version: '1.0.0', as_of: asOf });
  const jobId = String(queued.body.job?.id);
  r.batchQueued = { status: queued.status, job: { id: '…', status: queued.body.job?.status, asOf: queued.body.job?.asOf } };
  out.show(r.batchQueued.job);
  const finished = await waitFor(
    () => admin.send<Json>('GET', `/v1/batch-scoring-jobs/${jobId}`),
    (a) => ['succeeded', 'failed'].includes(a.body.job?.status),
    60_000,
  );
  const j = finished.body.job ?? {};
  r.batchJob = { status: j.status, total: j.total, scored: j.scored, rejected: j.rejected, inserted: j.inserted, onlineWritten: j.onlineWritten, progress: j.progress, attempts: j.attempts, error: j.error };
  out.shell(`curl -s $TESSERA_URL/v1/batch-scoring-jobs/<id> -H "$AUTH" | jq -c '.job | {status, total, scored, rejected, inserted, onlineWritten, progress, attempts, error}'     # a moment later`);
  out.show(r.batchJob);

  const lookup = { features: ['driver_daily_risk:probability', 'driver_daily_risk:model_version'], entities: { driver_id: [1001, 1002, 99999] } };
  out.shell(`curl -s -XPOST $TESSERA_URL/get-online-features -H "$AUTH" -H 'content-type: application/json' -d '${JSON.stringify(lookup)}' | jq -c '[.results[1:][] | .values]'`);
  const online = await admin.send<Json>('POST', '/get-online-features', lookup);
  r.precomputedOnline = (online.body.results as Json[] | undefined)?.slice(1).map((col) => col.values);
  out.show(r.precomputedOnline);
  const again = await admin.send<Json>('POST', '/v1/models/driver_risk_daily/batch-scoring', { version: '1.0.0', as_of: asOf });
  const repeat = await waitFor(
    () => admin.send<Json>('GET', `/v1/batch-scoring-jobs/${String(again.body.job?.id)}`),
    (a) => ['succeeded', 'failed'].includes(a.body.job?.status),
    60_000,
  );
  r.batchRepeat = { status: repeat.body.job?.status, inserted: repeat.body.job?.inserted };
  out.say(
    `Asked again for the same version and as-of time, the job stores nothing new (inserted: ${String(r.batchRepeat.inserted)}): predictions are keyed by driver, as-of and version. A killed worker’s job is taken over by another after its lease and continues at its last chunk.`,
  );
}

/**
 * A job has no caller, so it reads features as the model: the risk domain's model needs an agreement
 * (consumer kind `model`) for each port of another domain its feature service reads (ADR 0035).
 */
async function modelAgreements(c: TourContext, asOf: string): Promise<void> {
  const { out, admin, r, gql, now } = c;
  out.say(
    'A job has no caller (its cron asks for it), so it reads features **as the model**: ports of the model’s own domain (`risk`) need nothing, every other port needs an approved agreement whose consumer is the model, checked when the job is asked for and again when it runs. Without them the job is refused and nothing is queued:',
  );
  out.shell(
    `curl -s -XPOST $TESSERA_URL/v1/models/driver_risk_daily/batch-scoring -H "$AUTH" -H 'content-type: application/json' -d '{"version":"1.0.0"}' | jq -c '.error | {code, ports: [.details.missing[] | .dataProduct + "/" + .outputPort] | unique}'`,
  );
  const refused = await admin.send<Json>('POST', '/v1/models/driver_risk_daily/batch-scoring', { version: '1.0.0', as_of: asOf });
  const missing = (refused.body.error?.details?.missing ?? []) as { dataProduct: string; outputPort: string }[];
  const ports = [...new Set(missing.map((m) => `${m.dataProduct}/${m.outputPort}`))].sort();
  r.batchRefused = { status: refused.status, code: refused.body.error?.code, ports };
  out.show({ code: r.batchRefused.code, ports });
  out.say(
    'The risk team asks for each port on the model’s behalf (consumer kind `model`); a port that declares automatic approval and holds no personal data approves at once, any other waits for its owner’s `approveAccess`, as in step 16:',
  );
  const endDate = new Date(now() + 180 * 86_400_000).toISOString().slice(0, 10);
  r.modelAgreements = [];
  for (const port of ports) {
    const [dataProduct, outputPort] = port.split('/');
    const asked = await gql(
      `mutation { requestAccess(input: {consumer: {id: "driver_risk_daily", kind: model}, dataProduct: "${dataProduct}", outputPort: "${outputPort}", purpose: "daily driver risk scores", endDate: "${endDate}T00:00:00Z"}) { id status decidedBy consumer { id kind } } }`,
    );
    let status = String(asked.data?.requestAccess?.status);
    if (status === 'requested') {
      const approved = await gql(`mutation { approveAccess(id: "${String(asked.data?.requestAccess?.id)}", reason: "model scoring, outputs only") { status } }`);
      status = String(approved.data?.approveAccess?.status);
    }
    (r.modelAgreements as Json[]).push({ port, status });
  }
}

/** What `diff` prints when `added` follows `before` (an append: one `a` hunk, then `> ` lines). */
function diffLines(before: string, added: string): string[] {
  const at = before.split('\n').length - 1;
  const lines = added.replace(/\n$/, '').split('\n');
  return [`${at}a${at + 1},${at + lines.length}`, ...lines.map((l) => `> ${l}`)];
}
