import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { runApplyCommand } from '../src/cli/apply-command';
import { trainDemoModel } from './demo-training';
import type { TesseraClient } from './tessera-client';
import { fillTimes, secret } from './tour-format';
import { TourRecorder } from './tour-recorder';

/**
 * The README's tour, as a program (`npm run tour`): every input is a file in the repository
 * (`contracts/`, `examples/`), every time is relative to now, and every answer printed is the service's.
 * It returns what each step answered so test/e2e/tour.spec.ts can check it.
 */
export interface TourOptions {
  client: TesseraClient;
  /** Repository root (contracts/ and examples/). */
  root: string;
  print: (line: string) => void;
  now?: () => number;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Gql = { data?: Json; errors?: { message: string; extensions?: Json }[] };

const HOURLY = '/v1/data-products/rides-driver-stats/ports/hourly/rows';

export async function runTour(o: TourOptions): Promise<Json> {
  // One instant for every relative time of the tour, so a run is consistent whenever it starts.
  const started = (o.now ?? Date.now)();
  const now = () => started;
  const out = new TourRecorder(o.print);
  const admin = o.client;
  const r: Json = { startedAt: started };
  const example = (file: string) => fillTimes(readFileSync(resolve(o.root, 'examples', file), 'utf8'), now());
  const gqlAs = async (client: TesseraClient, who: string | null, query: string, variables?: Json, clip?: { items?: number }): Promise<Gql> => {
    out.shell(who === null ? `gql '${query}'` : `gql_as $${who} '${query}'`);
    const answer = await client.gql(query, variables);
    out.show(answer, clip);
    return answer;
  };
  const cli = (dir: string) => runApplyCommand({ dir, url: admin.baseUrl, key: admin.key, dryRun: false, json: false });
  const gql = (query: string, variables?: Json, clip?: { items?: number }) => gqlAs(admin, null, query, variables, clip);
  const post = async (client: TesseraClient, shown: string, path: string, body: string | object, clip?: { items?: number }) => {
    out.shell(shown);
    const answer = await client.send<Json>('POST', path, body);
    out.show(answer.body, clip);
    return answer;
  };

  // Copies of the mesh for steps 6 and 15, removed whatever happens.
  const work = mkdtempSync(join(tmpdir(), 'tessera-tour-'));
  try {
    await steps();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return r;

  async function steps(): Promise<void> {
  // 1 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(1, 'The service is up; the example mesh in `contracts/` is applied.', 'Every route but `/health` and `/ready` needs a key; the CLI and the scripts read `TESSERA_URL` and `TESSERA_API_KEY`:');
  out.shell('curl -s $TESSERA_URL/ready');
  r.ready = (await admin.send('GET', '/ready')).body;
  out.show(r.ready);
  out.shell('export TESSERA_URL=http://localhost:3000 TESSERA_API_KEY="$(cat .tessera/admin-key)"; export AUTH="Authorization: Bearer $TESSERA_API_KEY"');
  out.shell(`gql() { curl -s "$TESSERA_URL/graphql" -H "$AUTH" -H 'content-type: application/json' -d "$(jq -n --arg q "$1" --argjson v "\${2:-null}" '{query: $q, variables: $v}')"; }`);
  out.shell('gql_as() { AUTH="Authorization: Bearer $1" gql "$2" "$3"; }     # the same with another key');
  out.shell('npm run tessera --silent -- apply contracts');
  const mesh = await runApplyCommand({ dir: resolve(o.root, 'contracts'), url: admin.baseUrl, key: admin.key, dryRun: false, json: false });
  r.meshApply = mesh;
  out.show(lastLines(mesh.stdout || mesh.stderr, 1));

  // 2 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(2, 'Three domains, seven products.', '(GraphQL at `POST /graphql`, schema in [`schema.graphql`](schema.graphql); an IDE at `/graphql` in a browser.)');
  r.domains = await gql('{ domains { name productCount team { name } } }');

  // 3 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(3, 'Search speaks the domain’s language.', '"completion rate" is a glossary synonym of *Conversion rate*, the business name of the `conv_rate` field of the rides driver statistics:');
  r.search = await gql('{ dataProducts(search: "completion rate", first: 3) { totalCount edges { node { id name domain type status } } } }');

  // 4 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(4, 'Lineage, from the risk model back to its sources,', 'derived from input ports and the upstream output ports publishing the same contract:');
  r.lineage = await gql('{ lineage(id: "risk-driver-model", direction: UPSTREAM, depth: 3) { nodes { id type distance } edges { from to contractId } } }', undefined, { items: 8 });

  // 5 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(5, 'A product, its ports, and the SLOs in its contract.');
  r.product = await gql('{ dataProduct(id: "rides-driver-stats") { name version outputPorts { name type containsPii contract { id version slaProperties { property value unit } } } } }');
  out.shell('curl -s $TESSERA_URL/v1/data-products/rides-driver-stats -H "$AUTH"      # the same over REST (OpenAPI at /openapi.json, reference at /docs)');
  const rest = await admin.send<Json>('GET', '/v1/data-products/rides-driver-stats');
  r.productRest = rest;
  out.show(rest.status === 200 ? { id: rest.body.id, name: rest.body.name, domain: rest.body.domain, status: rest.body.status, '…': '…' } : rest.body);

  // 6 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(6, 'Contracts as code, with breaking changes refused.', 'A copy of the mesh whose `hourly.odcs.yaml` drops the `avg_daily_trips` property and calls itself 1.1.0:');
  {
    const contract = 'contracts/rides/rides-driver-stats/hourly.odcs.yaml';
    const copy = (name: string, edit: (doc: Json) => void): string => {
      const dir = join(work, name);
      cpSync(resolve(o.root, 'contracts'), join(dir, 'contracts'), { recursive: true });
      // Re-serialized from its parsed form: comments go, meaning stays.
      const js = parse(readFileSync(join(dir, contract), 'utf8')) as Json;
      edit(js);
      writeFileSync(join(dir, contract), stringify(js));
      return join(dir, 'contracts');
    };
    const breaking = copy('breaking', (c) => {
      c.version = '1.1.0';
      c.schema[0].properties = c.schema[0].properties.filter((p: Json) => p.name !== 'avg_daily_trips');
    });
    out.shell('npm run tessera --silent -- apply /tmp/tour/breaking/contracts');
    r.breaking = await runApplyCommand({ dir: breaking, url: admin.baseUrl, key: admin.key, dryRun: false, json: false });
    out.show(rebase(r.breaking.stdout || r.breaking.stderr, work));
    out.shell('echo $?');
    out.show(String(r.breaking.exitCode));
    out.say('An additive change is a minor version (here as a dry run, which stores nothing): the same copy with a `cancel_rate` property added instead.');
    const additive = copy('additive', (c) => {
      c.version = '1.1.0';
      c.schema[0].properties.push({ name: 'cancel_rate', businessName: 'Cancellation rate', description: 'Share of accepted trips the driver cancelled.', logicalType: 'number', physicalType: 'double precision', required: false, classification: 'internal' });
    });
    out.shell('npm run tessera --silent -- apply /tmp/tour/additive/contracts --dry-run');
    r.additive = await runApplyCommand({ dir: additive, url: admin.baseUrl, key: admin.key, dryRun: true, json: false });
    out.show(rebase(r.additive.stdout || r.additive.stderr, work));
    out.shell('npm run tessera --silent -- apply contracts            # the files as they are: nothing to do');
    r.again = await runApplyCommand({ dir: resolve(o.root, 'contracts'), url: admin.baseUrl, key: admin.key, dryRun: false, json: false });
    out.show(lastLines(r.again.stdout || r.again.stderr, 1));
  }

  // 7 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(7, 'Bad input gets a typed error naming the file, the path inside the document and the reason.');
  const bad = 'apiVersion: v1.0.0\nkind: DataProduct\nid: x\nstatus: launched\noutputPorts:\n  - name: out\n';
  r.badApply = await post(admin, `curl -s -XPOST $TESSERA_URL/v1/contracts/apply -H "$AUTH" -H 'content-type: application/json' -d '{"files":[{"path":"contracts/x.odps.yaml","content":${JSON.stringify(bad)}}]}'`, '/v1/contracts/apply', {
    files: [{ path: 'contracts/x.odps.yaml', content: bad }],
  });

  // 8 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(8, 'Rows into a data product’s port, validated against its contract and loaded with COPY.', '[`examples/hourly.ndjson`](examples/hourly.ndjson) dates its rows relative to now (`{{now-3h}}`); the tour fills them in. Re-sending the same rows stores nothing twice; one bad row rejects the request:');
  const hourly = example('hourly.ndjson');
  out.shell('head -1 examples/hourly.ndjson');
  out.show(readFileSync(resolve(o.root, 'examples/hourly.ndjson'), 'utf8').split('\n')[0]);
  out.shell('npm run --silent tour -- --fill examples/hourly.ndjson > hourly.ndjson; head -1 hourly.ndjson');
  out.show(hourly.split('\n')[0]);
  const ingestCmd = `curl -s -XPOST $TESSERA_URL${HOURLY} -H "$AUTH" -H 'content-type: application/x-ndjson' --data-binary @hourly.ndjson`;
  r.ingest = await post(admin, ingestCmd, HOURLY, hourly);
  r.ingestAgain = await post(admin, `${ingestCmd}     # again`, HOURLY, hourly);
  r.ingestBad = await post(admin, `curl -s -XPOST $TESSERA_URL${HOURLY} -H "$AUTH" -H 'content-type: application/x-ndjson' --data-binary '{"driver_id":"x","event_timestamp":"yesterday","conv_rate":1.7}'`, HOURLY, '{"driver_id":"x","event_timestamp":"yesterday","conv_rate":1.7}\n', { items: 3 });

  // 9 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(9, 'A point-in-time-correct training set.', 'Each entity row gets the latest feature row at or before its timestamp, within the view’s ttl (2 h: driver 1003’s newest row is 3 h old, so null); rows stay in input order, extra columns (`label`) pass through:');
  const at = fillTimes('{{now}}', now());
  const earlier = fillTimes('{{now-4h+30m}}', now());
  const retrieval = {
    features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate'],
    entities: { driver_id: [1001, 1002, 1003, 1001, 9999], event_timestamp: [at, at, at, earlier, at], label: [1, 0, 0, 1, 0] },
    full_feature_names: true,
  };
  r.historical = await post(admin, `curl -s -XPOST $TESSERA_URL/v1/historical-features -H "$AUTH" -H 'content-type: application/json' -d '${JSON.stringify(retrieval)}'`, '/v1/historical-features', retrieval);
  out.say('With `Accept: application/vnd.apache.arrow.stream` the same answer streams as Arrow IPC; `"feature_service": "driver_risk_v1"` may replace `features`; GraphQL `historicalFeatures` serves small requests.');
  out.say('The same request plus a `name` saves the answer as an immutable, numbered training dataset, next to the feature view and contract versions it came from:');
  const saved = await post(admin, `curl -s -XPOST $TESSERA_URL/v1/training-datasets -H "$AUTH" -H 'content-type: application/json' -d '{"name":"driver_conv_train", … as above …}'`, '/v1/training-datasets', { name: 'driver_conv_train', description: 'tour: hourly stats, labelled', ...retrieval }, { items: 2 });
  r.dataset = saved;
  out.shell('curl -s $TESSERA_URL/v1/training-datasets/driver_conv_train/versions/1/rows -H "$AUTH"');
  r.datasetRows = (await admin.send<Json>('GET', '/v1/training-datasets/driver_conv_train/versions/1/rows')).body;
  out.show(r.datasetRows);

  // 10 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(10, 'Materialize to the online store and read it through Feast’s feature-server protocol.', 'Only the latest row per entity is written, expiring with the ttl:');
  r.materialize = await post(admin, `curl -s -XPOST $TESSERA_URL/materialize-incremental -H "$AUTH" -H 'content-type: application/json' -d "{\\"end_ts\\":\\"$(date -u +%FT%TZ)\\",\\"feature_views\\":[\\"driver_hourly_stats\\"]}"`, '/materialize-incremental', {
    end_ts: new Date(now()).toISOString(),
    feature_views: ['driver_hourly_stats'],
  });
  const onlineRequest = { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'], entities: { driver_id: [1001, 1003, 9999] } };
  r.online = await post(admin, `curl -s -XPOST $TESSERA_URL/get-online-features -H "$AUTH" -H 'content-type: application/json' -d '${JSON.stringify(onlineRequest)}'`, '/get-online-features', onlineRequest);
  out.say('Driver 1003’s newest row was already past its ttl, so it was not written. Stale values are never served: Redis entries expire at event time + ttl (then `NOT_FOUND`), and a stored value older than the view’s current ttl is answered `OUTSIDE_MAX_AGE` with a null value, where Feast would serve it. Without Redis the online store is a PostgreSQL table (`TESSERA_ONLINE_STORE`).');

  // 11 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(11, 'A model trained on a point-in-time training set, by the project itself.', '`npm run demo:train` ingests seeded rows, builds the labelled training set of the `driver_risk_v1` feature service, saves it as a training dataset, fits a logistic regression and registers it as ONNX through the contracts apply. The committed `driver_risk` 1.0.0 is the same bytes, so its registration is `unchanged`; a challenger is another fit:');
  const log = (line: string) => out.show(line);
  out.shell('npm run demo:train');
  r.train = await trainDemoModel(admin, { version: '1.0.0', epochs: 500, register: true, root: o.root }, log);
  out.shell('npm run demo:train -- --version 1.1.0 --epochs 40');
  r.challenger = await trainDemoModel(admin, { version: '1.1.0', epochs: 40, register: true, root: o.root }, (line) => (/^(fitted|registered)/.test(line) ? log(line) : undefined));

  // 12 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(12, 'Deploy, then predict: online features fetched and scored in-process.', 'The current rows of step 11 are dated before step 10’s run, which an incremental run would skip (it starts where the last one ended, by event time, as in Feast): a ranged `/materialize` takes them. Missing features are imputed with the defaults the model declares, and every row says what it used:');
  const range = { start_ts: new Date(now() - 86_400_000).toISOString(), end_ts: new Date(now()).toISOString() };
  r.materializeAll = await post(admin, `curl -s -XPOST $TESSERA_URL/materialize -H "$AUTH" -H 'content-type: application/json' -d "{\\"start_ts\\":\\"$(date -u -d '1 day ago' +%FT%TZ)\\",\\"end_ts\\":\\"$(date -u +%FT%TZ)\\"}"`, '/materialize', range, { items: 3 });
  r.deploy = await gql('mutation { deployModel(name: "driver_risk", version: "1.0.0") { production canary { version percent } shadows revision } }');
  const predict = (ids: number[]) => admin.send<Json>('POST', '/v1/models/driver_risk/predict', { entities: { driver_id: ids } });
  out.shell(`curl -s -XPOST $TESSERA_URL/v1/models/driver_risk/predict -H "$AUTH" -H 'content-type: application/json' -d '{"entities":{"driver_id":[1001,1002,99999]}}'`);
  r.predict = await predict([1001, 1002, 99999]);
  out.show({ ...r.predict.body, requestId: '…', rows: r.predict.body.rows?.slice(0, 1) });

  // 13 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(13, 'Canary and shadow.', 'A canary answers a share of the entities, sticky per entity key; a shadow scores the same rows off the answer path and only the prediction log sees it:');
  r.canary = await gql('mutation { setCanary(name: "driver_risk", version: "1.1.0", percent: 30) { production canary { version percent } revision } }');
  const ten = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010];
  out.shell(`curl -s -XPOST $TESSERA_URL/v1/models/driver_risk/predict -H "$AUTH" -H 'content-type: application/json' -d '{"entities":{"driver_id":${JSON.stringify(ten)}}}' | jq -c '[.rows[] | .role]'`);
  r.canaryRoles = ((await predict(ten)).body.rows as Json[]).map((row) => row.role);
  out.show(r.canaryRoles, { items: 10 });
  r.clear = await gql('mutation { clearCanary(name: "driver_risk") { canary { version } } }');
  r.shadow = await gql('mutation { addShadow(name: "driver_risk", version: "1.1.0") { production shadows revision } }');
  out.shell(`curl -s -XPOST $TESSERA_URL/v1/models/driver_risk/predict -H "$AUTH" -H 'content-type: application/json' -d '{"entities":{"driver_id":[1001,1007]}}' | jq -c '{model, outputs}'`);
  const shadowed = (await predict([1001, 1007])).body;
  out.show({ model: shadowed.model, outputs: shadowed.outputs });
  r.log = await waitFor(() => admin.gql<Json>('{ predictionLog(model: "driver_risk", limit: 3, order: desc) { version role entity outputs } }'), (a) => (a.data?.predictionLog ?? []).some((e: Json) => e.role === 'shadow'));
  out.shell(`gql '{ predictionLog(model: "driver_risk", limit: 3, order: desc) { version role entity outputs } }'     # written in batches, off the answer path`);
  out.show(r.log);
  r.history = await gql('{ deploymentHistory(name: "driver_risk") { action changedBy } }');
  out.say('The log is sampled per model, written in batches off the answer path, and exports as Arrow: `GET /v1/models/driver_risk/prediction-log?format=arrow`.');

  // 14 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(14, 'Watching it run: SLOs measured from real data, model drift, metrics.', 'Drift compares the serving rows of the prediction log with the model’s training dataset; it needs 100 of them:');
  r.slo = await gql('{ sloStatus(productId: "rides-driver-stats") { slo scope status declared } }', undefined, { items: 8 });
  const drivers = Array.from({ length: 400 }, (_, i) => 1001 + i);
  out.shell(`curl -s -XPOST $TESSERA_URL/v1/models/driver_risk/predict -H "$AUTH" -H 'content-type: application/json' -d '{"entities":{"driver_id":[1001,1002,…,1400]}}' | jq '.rows | length'`);
  out.show(String(((await predict(drivers)).body.rows as Json[]).length));
  const driftQuery = '{ modelDrift(name: "driver_risk") { version trainingDataset servingRows drifted features { feature psi drifted } predictions { output psi } notes } }';
  r.drift = await waitFor(() => admin.gql<Json>(driftQuery), (a) => (a.data?.modelDrift?.servingRows ?? 0) >= 100);
  out.shell(`gql '${driftQuery}'`);
  out.show(r.drift, { items: 3 });
  out.shell(`curl -s $TESSERA_URL/metrics -H "$AUTH" | grep 'route="/v1/models/:name/predict"' | grep _count`);
  const metrics = String((await admin.send('GET', '/metrics')).body);
  r.metrics = metrics.split('\n').filter((l) => l.includes('route="/v1/models/:name/predict"') && l.includes('_count'));
  out.show(r.metrics.join('\n'));
  out.say('A breach of an active product’s SLO is sent once per episode to the webhooks in `TESSERA_ALERT_WEBHOOKS` (retried, signed with `TESSERA_ALERT_WEBHOOK_SECRET`); a drifted feature (PSI above `TESSERA_DRIFT_PSI_THRESHOLD`) alerts the same way. How it is measured: [ADR 0015](docs/adr/0015-slo-measurement.md).');

  // 15 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(15, 'Federated governance: a policy proposed, voted and enforced.', 'Every key belongs to a principal with roles; [`examples/principals.yaml`](examples/principals.yaml) lists the people and services of steps 15 and 16:');
  r.noKey = await post(admin.withKey(undefined), `curl -s -XPOST $TESSERA_URL/get-online-features -H 'content-type: application/json' -d '${JSON.stringify(onlineRequest)}'`, '/get-online-features', onlineRequest);
  out.shell(`curl -s $TESSERA_URL/v1/models -H 'Authorization: Bearer tsk_wrong'`);
  r.wrongKey = await admin.withKey('tsk_wrong').send('GET', '/v1/models');
  out.show(r.wrongKey.body);
  const keys: Record<string, TesseraClient> = {};
  const principals = parse(readFileSync(resolve(o.root, 'examples/principals.yaml'), 'utf8')) as { name: string; id: string; kind: string; roles: Json[] }[];
  for (const p of principals) {
    const q = 'mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }';
    const created = await admin.gql<{ createApiKey: { key: string } }>(q, { p: { id: p.id, kind: p.kind }, r: p.roles });
    if (!created.data) throw new Error(`createApiKey ${p.id}: ${JSON.stringify(created.errors)}`);
    keys[p.name] = admin.withKey(created.data.createApiKey.key);
    const roles = p.roles.map((g) => `{role: ${g.role}${g.domain ? `, domain: "${g.domain}"` : ''}}`).join(', ');
    out.shell(`${p.name.toUpperCase()}=$(gql 'mutation { createApiKey(principal: {id: "${p.id}", kind: ${p.kind}}, roles: [${roles}]) { key } }' | jq -r .data.createApiKey.key)`);
  }
  out.shell('echo $BEN');
  out.show(secret(keys.ben.key!));
  r.forbidden = await post(keys.ben, `curl -s -XPOST $TESSERA_URL/materialize-incremental -H "Authorization: Bearer $BEN" -H 'content-type: application/json' -d "{\\"end_ts\\":\\"$(date -u +%FT%TZ)\\"}"`, '/materialize-incremental', { end_ts: new Date(now()).toISOString() });
  out.say('Ana (rides) proposes [`examples/description-limitations.policy.yaml`](examples/description-limitations.policy.yaml): every product states its limitations. She cannot approve her own policy; two other domains approve (quorum 2) and it is active at once:');
  const policy = readFileSync(resolve(o.root, 'examples/description-limitations.policy.yaml'), 'utf8');
  out.shell(`gql_as $ANA 'mutation($d: String!) { proposePolicy(document: $d) { id status proposedBy } }' "$(jq -n --rawfile d examples/description-limitations.policy.yaml '{d: $d}')"`);
  r.propose = await keys.ana.gql('mutation($d: String!) { proposePolicy(document: $d) { id status proposedBy } }', { d: policy });
  out.show(r.propose);
  const id = r.propose.data?.proposePolicy?.id ?? 'description-limitations@1';
  r.submit = await gqlAs(keys.ana, 'ANA', `mutation { submitPolicyForReview(id: "${id}") { status } }`);
  r.selfVote = await gqlAs(keys.ana, 'ANA', `mutation { votePolicy(id: "${id}", vote: approve, comment: "mine") { status } }`);
  r.benVote = await gqlAs(keys.ben, 'BEN', `mutation { votePolicy(id: "${id}", vote: approve, comment: "payments agrees") { status } }`);
  r.kimVote = await gqlAs(keys.kim, 'KIM', `mutation { votePolicy(id: "${id}", vote: approve, comment: "risk agrees") { status tally { outcome approvingDomains quorum } } }`);
  out.say('A new active product without limitations is refused, naming policy, product, path and reason; as written in [`examples/rides-zones/`](examples/rides-zones/) it is applied:');
  const zonesCopy = join(work, 'rides-zones');
  cpSync(resolve(o.root, 'examples/rides-zones'), zonesCopy, { recursive: true });
  const zonesProduct = join(zonesCopy, 'rides-zones.odps.yaml');
  writeFileSync(zonesProduct, readFileSync(zonesProduct, 'utf8').replace(/^\s+limitations:.*\n/m, ''));
  out.shell('npm run tessera --silent -- apply /tmp/tour/rides-zones      # examples/rides-zones without its description.limitations line');
  r.zonesRefused = await cli(zonesCopy);
  out.show(rebase(r.zonesRefused.stdout || r.zonesRefused.stderr, work));
  out.shell('npm run tessera --silent -- apply examples/rides-zones');
  r.zonesApplied = await cli(resolve(o.root, 'examples/rides-zones'));
  out.show(r.zonesApplied.stdout || r.zonesApplied.stderr);

  // 16 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(16, 'A consumer denied, then granted access, then reading masked personal data.', 'Every feature read needs an approved agreement for each output port behind the views it reads, unless the caller belongs to the port’s domain. The rides domain adds the `driver_profile` view of [`examples/driver-profile/`](examples/driver-profile/) over its PII port `rides-drivers/profiles` (`city` public, `email` pii) and loads its rows:');
  out.shell('npm run tessera --silent -- apply examples/driver-profile');
  r.view = await cli(resolve(o.root, 'examples/driver-profile'));
  out.show(r.view.stdout || r.view.stderr);
  const PROFILES = '/v1/data-products/rides-drivers/ports/profiles/rows';
  r.profiles = (await post(admin, `npm run --silent tour -- --fill examples/driver-profile/driver-profiles.ndjson | curl -s -XPOST $TESSERA_URL${PROFILES} -H "$AUTH" -H 'content-type: application/x-ndjson' --data-binary @-`, PROFILES, example('driver-profile/driver-profiles.ndjson'))).body;
  const profileRun = { end_ts: new Date(now()).toISOString(), feature_views: ['driver_profile'] };
  r.profileMaterialized = (await post(admin, `curl -s -XPOST $TESSERA_URL/materialize-incremental -H "$AUTH" -H 'content-type: application/json' -d "{\\"end_ts\\":\\"$(date -u +%FT%TZ)\\",\\"feature_views\\":[\\"driver_profile\\"]}"`, '/materialize-incremental', profileRun)).body;
  const profileRequest = { features: ['driver_profile:city', 'driver_profile:email'], entities: { driver_id: [1001, 1002] } };
  const profileCmd = `curl -s -XPOST $TESSERA_URL/get-online-features -H "Authorization: Bearer $DASH" -H 'content-type: application/json' -d '${JSON.stringify(profileRequest)}'`;
  r.denied = await post(keys.dash, profileCmd, '/get-online-features', profileRequest);
  const endDate = new Date(now() + 90 * 86_400_000).toISOString().slice(0, 10);
  r.request = await gqlAs(keys.dash, 'DASH', `mutation { requestAccess(input: {dataProduct: "rides-drivers", outputPort: "profiles", purpose: "fraud dashboard: drivers per city", endDate: "${endDate}T00:00:00Z"}) { id status piiAccess } }`);
  const agreement = r.request.data?.requestAccess?.id ?? 'missing';
  r.approve = await gqlAs(keys.rita, 'RITA', `mutation { approveAccess(id: "${agreement}", reason: "aggregates only") { status decidedBy } }`);
  r.granted = await post(keys.dash, `${profileCmd}     # again`, '/get-online-features', profileRequest);
  const offline = { features: ['driver_profile:email'], entities: { driver_id: [1002], event_timestamp: [new Date(now()).toISOString()] } };
  r.grantedOffline = await post(keys.dash, `curl -s -XPOST $TESSERA_URL/v1/historical-features -H "Authorization: Bearer $DASH" -H 'content-type: application/json' -d '${JSON.stringify(offline)}'`, '/v1/historical-features', offline);
  out.say('The email comes back as HMAC-SHA256 with a server secret (`TESSERA_PII_HMAC_SECRET`, else generated into `.tessera/pii-secret`): the same token online and offline, so joins and counts still work. An agreement requested with `piiAccess: true` and approved shows the values in clear; `revokeAccess` and the end date stop reads. Details: [ADR 0016](docs/adr/0016-access-agreements.md).');
  out.close();
  }
}

/** Polls until `done` (the prediction log is written in batches, about once a second). */
async function waitFor<T>(ask: () => Promise<T>, done: (answer: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > until) return answer;
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/** Paths of the temporary copies as the README shows them. */
function rebase(text: string, work: string): string {
  return text.split(work).join('/tmp/tour');
}

