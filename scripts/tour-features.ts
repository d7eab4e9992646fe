import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fillTimes } from './tour-format';
import { ONLINE_REQUEST, type Json, type TourContext } from './tour-context';

const HOURLY = '/v1/data-products/rides-driver-stats/ports/hourly/rows';
const LABELS = '/v1/data-products/rides-trip-labels/ports/offers/rows';

/** Steps 8-10: rows into a port, a point-in-time training set, the online store. */
export async function featureSteps(c: TourContext): Promise<void> {
  const { out, admin, r, now, root, example, post } = c;
  // 8 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(
    8,
    'Rows into a data product’s port, validated against its contract and loaded with COPY.',
    '[`examples/hourly.ndjson`](examples/hourly.ndjson) dates its rows relative to now (`{{now-3h}}`); the tour fills them in. Re-sending the same rows stores nothing twice; one bad row rejects the request:',
  );
  const hourly = example('hourly.ndjson');
  out.shell('head -1 examples/hourly.ndjson');
  out.show(readFileSync(resolve(root, 'examples/hourly.ndjson'), 'utf8').split('\n')[0]);
  out.shell('npm run --silent tour -- --fill examples/hourly.ndjson > hourly.ndjson; head -1 hourly.ndjson');
  out.show(hourly.split('\n')[0]);
  const ingestCmd = `curl -s -XPOST $TESSERA_URL${HOURLY} -H "$AUTH" -H 'content-type: application/x-ndjson' --data-binary @hourly.ndjson`;
  r.ingest = await post(admin, ingestCmd, HOURLY, hourly);
  r.ingestAgain = await post(admin, `${ingestCmd}     # again`, HOURLY, hourly);
  r.ingestBad = await post(
    admin,
    `curl -s -XPOST $TESSERA_URL${HOURLY} -H "$AUTH" -H 'content-type: application/x-ndjson' --data-binary '{"driver_id":"x","event_timestamp":"yesterday","conv_rate":1.7}'`,
    HOURLY,
    '{"driver_id":"x","event_timestamp":"yesterday","conv_rate":1.7}\n',
    { items: 3 },
  );

  // 9 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(
    9,
    'A point-in-time-correct training set.',
    'Each entity row gets the latest feature row at or before its timestamp, within the view’s ttl (2 h: driver 1003’s newest row is 3 h old, so null); rows stay in input order, extra columns (`label`) pass through:',
  );
  const at = fillTimes('{{now}}', now());
  const earlier = fillTimes('{{now-4h+30m}}', now());
  const retrieval = {
    features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate'],
    entities: { driver_id: [1001, 1002, 1003, 1001, 9999], event_timestamp: [at, at, at, earlier, at], label: [1, 0, 0, 1, 0] },
    full_feature_names: true,
  };
  r.historical = await post(admin, `curl -s -XPOST $TESSERA_URL/v1/historical-features -H "$AUTH" -H 'content-type: application/json' -d '${JSON.stringify(retrieval)}'`, '/v1/historical-features', retrieval);
  out.say(
    'With `Accept: application/vnd.apache.arrow.stream` the same answer streams as Arrow IPC; `"feature_service": "driver_risk_v1"` may replace `features`; GraphQL `historicalFeatures` serves small requests.',
  );
  out.say('The same request plus a `name` saves the answer as an immutable, numbered training dataset, next to the feature view and contract versions it came from:');
  const saved = await post(
    admin,
    `curl -s -XPOST $TESSERA_URL/v1/training-datasets -H "$AUTH" -H 'content-type: application/json' -d '{"name":"driver_conv_train", … as above …}'`,
    '/v1/training-datasets',
    { name: 'driver_conv_train', description: 'tour: hourly stats, labelled', ...retrieval },
    { items: 2 },
  );
  r.dataset = saved;
  out.shell('curl -s $TESSERA_URL/v1/training-datasets/driver_conv_train/versions/1/rows -H "$AUTH"');
  r.datasetRows = (await admin.send<Json>('GET', '/v1/training-datasets/driver_conv_train/versions/1/rows')).body;
  out.show(r.datasetRows);
  out.say(
    "A training set of millions of rows does not travel as JSON: the entity rows may be an Arrow IPC body (`-H 'content-type: application/vnd.apache.arrow.stream' --data-binary @spine.arrows`, the rest in the query string, ADR 0025), or the rows of a labels port, read inside PostgreSQL. The rides team publishes its trip offers and their outcome in [`examples/trip-labels/`](examples/trip-labels/):",
  );
  out.shell('npm run tessera --silent -- apply examples/trip-labels');
  r.labelsApplied = await c.cli(resolve(root, 'examples/trip-labels'));
  out.show(r.labelsApplied.stdout.trim());
  r.labelsIngest = await post(
    admin,
    `curl -s -XPOST $TESSERA_URL${LABELS} -H "$AUTH" -H 'content-type: application/x-ndjson' --data-binary @trip-labels.ndjson     # examples/trip-labels.ndjson, times filled in`,
    LABELS,
    example('trip-labels.ndjson'),
  );
  out.say('`entities_from` names the port, its key and label columns and its time column (which becomes `event_timestamp`); the caller needs an agreement for the labels port as for any read:');
  const fromLabels = {
    name: 'driver_offers_train',
    features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate'],
    entities_from: { dataProduct: 'rides-trip-labels', outputPort: 'offers', columns: ['driver_id', 'offered_at', 'completed'], timestamp: 'offered_at' },
  };
  r.labelsDataset = await post(admin, `curl -s -XPOST $TESSERA_URL/v1/training-datasets -H "$AUTH" -H 'content-type: application/json' -d '${JSON.stringify(fromLabels)}'`, '/v1/training-datasets', fromLabels, {
    items: 2,
  });
  out.shell('curl -s $TESSERA_URL/v1/training-datasets/driver_offers_train/versions/1/rows -H "$AUTH"');
  r.labelsRows = (await admin.send<Json>('GET', '/v1/training-datasets/driver_offers_train/versions/1/rows')).body;
  out.show(r.labelsRows);

  // 10 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(10, 'Materialize to the online store and read it through Feast’s feature-server protocol.', 'Only the latest row per entity is written, expiring with the ttl:');
  r.materialize = await post(
    admin,
    `curl -s -XPOST $TESSERA_URL/materialize-incremental -H "$AUTH" -H 'content-type: application/json' -d "{\\"end_ts\\":\\"$(date -u +%FT%TZ)\\",\\"feature_views\\":[\\"driver_hourly_stats\\"]}"`,
    '/materialize-incremental',
    {
      end_ts: new Date(now()).toISOString(),
      feature_views: ['driver_hourly_stats'],
    },
  );
  const onlineRequest = ONLINE_REQUEST;
  r.online = await post(admin, `curl -s -XPOST $TESSERA_URL/get-online-features -H "$AUTH" -H 'content-type: application/json' -d '${JSON.stringify(onlineRequest)}'`, '/get-online-features', onlineRequest);
  out.say(
    'Driver 1003’s newest row was already past its ttl, so it was not written. Stale values are never served: Redis entries expire at event time + ttl (then `NOT_FOUND`), and a stored value older than the view’s current ttl is answered `OUTSIDE_MAX_AGE` with a null value, where Feast would serve it. Without Redis the online store is a PostgreSQL table (`TESSERA_ONLINE_STORE`).',
  );
}
