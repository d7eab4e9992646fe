import { trainDemoModel } from './demo-training';
import { waitFor, type Json, type TourContext } from './tour-context';

/** Steps 11-14: the demo model trained, deployed, canaried and shadowed, and watched (SLOs, drift, metrics). */
export async function modelSteps(c: TourContext): Promise<void> {
  const { out, admin, r, now, root, gql, post } = c;
  // 11 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(
    11,
    'A model trained on a point-in-time training set, by the project itself.',
    '`npm run demo:train` ingests seeded rows, builds the labelled training set of the `driver_risk_v1` feature service, saves it as a training dataset, fits a logistic regression and registers it as ONNX through the contracts apply. The committed `driver_risk` 1.0.0 is the same bytes, so its registration is `unchanged`; a challenger is another fit:',
  );
  const log = (line: string) => out.show(line);
  out.shell('npm run demo:train');
  r.train = await trainDemoModel(admin, { version: '1.0.0', epochs: 500, register: true, root: root }, log);
  out.shell('npm run demo:train -- --version 1.1.0 --epochs 40');
  r.challenger = await trainDemoModel(admin, { version: '1.1.0', epochs: 40, register: true, root: root }, (line) => (/^(fitted|registered)/.test(line) ? log(line) : undefined));

  // 12 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(
    12,
    'Deploy, then predict: online features fetched and scored in-process.',
    'The current rows of step 11 are dated before step 10’s run, which an incremental run would skip (it starts where the last one ended, by event time, as in Feast): a ranged `/materialize` takes them. Missing features are imputed with the defaults the model declares, and every row says what it used:',
  );
  const range = { start_ts: new Date(now() - 86_400_000).toISOString(), end_ts: new Date(now()).toISOString() };
  r.materializeAll = await post(
    admin,
    `curl -s -XPOST $TESSERA_URL/materialize -H "$AUTH" -H 'content-type: application/json' -d "{\\"start_ts\\":\\"$(date -u -d '1 day ago' +%FT%TZ)\\",\\"end_ts\\":\\"$(date -u +%FT%TZ)\\"}"`,
    '/materialize',
    range,
    { items: 3 },
  );
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
  r.log = await waitFor(
    () => admin.gql<Json>('{ predictionLog(model: "driver_risk", limit: 3, order: desc) { version role entity outputs } }'),
    (a) => (a.data?.predictionLog ?? []).some((e: Json) => e.role === 'shadow'),
  );
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
  r.drift = await waitFor(
    () => admin.gql<Json>(driftQuery),
    (a) => (a.data?.modelDrift?.servingRows ?? 0) >= 100,
  );
  out.shell(`gql '${driftQuery}'`);
  out.show(r.drift, { items: 3 });
  out.shell(`curl -s $TESSERA_URL/metrics -H "$AUTH" | grep 'route="/v1/models/:name/predict"' | grep _count`);
  const metrics = String((await admin.send('GET', '/metrics')).body);
  r.metrics = metrics.split('\n').filter((l) => l.includes('route="/v1/models/:name/predict"') && l.includes('_count'));
  out.show(r.metrics.join('\n'));
  out.say(
    'A breach of an active product’s SLO is sent once per episode to the webhooks in `TESSERA_ALERT_WEBHOOKS` (retried, signed with `TESSERA_ALERT_WEBHOOK_SECRET`); a drifted feature (PSI above `TESSERA_DRIFT_PSI_THRESHOLD`) alerts the same way. How it is measured: [ADR 0015](docs/adr/0015-slo-measurement.md).',
  );
}
