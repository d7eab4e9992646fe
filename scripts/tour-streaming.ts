import { jetstream } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { resolve } from 'node:path';
import { ON_DEMAND_HEADERS, predictSubject, resultSubject } from '../src/scoring/on-demand/on-demand-subjects';
import { ONLINE_REQUEST, waitFor, type Json, type TourContext } from './tour-context';

/**
 * Step 19, only when NATS_URL is set and the service consumes streams (ADR 0026, 0027): readings
 * published to a stream source are servable online a moment later, and a prediction is asked for and
 * answered over the broker. Without a broker the tour ends at step 18.
 */
export async function streamingSteps(c: TourContext): Promise<void> {
  const { out, admin, r, root, cli, gql } = c;
  const natsUrl = process.env.NATS_URL;
  if (!natsUrl) return;
  out.step(
    19,
    'Streaming in, predictions out, over NATS JetStream.',
    'With `NATS_URL` set, a `StreamSource` of [`examples/driver-stats-stream/`](examples/driver-stats-stream/) feeds the `hourly` port from the subject `rides.driver_stats.hourly`: each message is validated like an uploaded row, stored offline and written online at once ([ADR 0026](docs/adr/0026-streaming-over-nats.md)):',
  );
  out.shell('npm run tessera --silent -- apply examples/driver-stats-stream');
  r.streamApplied = await cli(resolve(root, 'examples/driver-stats-stream'));
  out.show(r.streamApplied.stdout || r.streamApplied.stderr);
  r.streamRunning = await waitFor(
    () => admin.gql<Json>('{ streamSources { name running } }'),
    (a) => (a.data?.streamSources ?? []).some((s: Json) => s.name === 'driver_stats_stream' && s.running),
    5000,
  );
  if (!(r.streamRunning.data?.streamSources ?? []).some((s: Json) => s.running)) {
    out.say('(The service does not consume streams — it was started without `NATS_URL` — so the tour ends here.)');
    return;
  }
  const nc = await connect({ servers: natsUrl.split(',') });
  try {
    const js = jetstream(nc);
    const at = new Date().toISOString();
    const reading = { driver_id: 1003, event_timestamp: at, created: at, conv_rate: 0.93, acc_rate: 0.9, avg_daily_trips: 21 };
    out.shell(`nats pub rides.driver_stats.hourly '${JSON.stringify({ ...reading, event_timestamp: '<now>', created: '<now>' })}'`);
    await js.publish('rides.driver_stats.hourly', JSON.stringify(reading));
    r.streamOnline = await waitFor(
      () => admin.send<Json>('POST', '/get-online-features', ONLINE_REQUEST),
      (a) => a.body.results?.[1]?.values?.[1] === 0.93,
      10_000,
    );
    out.shell(`curl -s -XPOST $TESSERA_URL/get-online-features -H "$AUTH" -H 'content-type: application/json' -d '${JSON.stringify(ONLINE_REQUEST)}' | jq -c '.results[1].values'     # a moment later`);
    out.show(r.streamOnline.body.results?.[1]?.values);

    out.say(
      'Model-on-demand ([ADR 0027](docs/adr/0027-model-on-demand.md)): a request on `tessera.predict.<model>` (body as REST, the caller’s key in `Authorization`, an id in `Tessera-Request-Id`) is scored by a worker — in `npm start`, or apart with `tessera worker --models driver_risk` — in a batch with other requests, and answered on `tessera.predictions.<model>.<request id>`:',
    );
    const id = 'tour-1';
    const answer = nc.subscribe(resultSubject('driver_risk', id), { max: 1, timeout: 15_000 });
    const h = headers();
    h.set(ON_DEMAND_HEADERS.requestId, id);
    h.set(ON_DEMAND_HEADERS.authorization, `Bearer ${admin.key}`);
    out.shell(`nats req tessera.predict.driver_risk '{"entities":{"driver_id":[1003]}}' -H "Tessera-Request-Id: ${id}" -H "$AUTH" --replies 0; nats sub --last 'tessera.predictions.driver_risk.${id}'`);
    await js.publish(predictSubject('driver_risk'), JSON.stringify({ entities: { driver_id: [1003] } }), { headers: h });
    for await (const m of answer) {
      r.onDemand = { status: m.headers?.get(ON_DEMAND_HEADERS.status), body: m.json<Json>() };
      break;
    }
    out.show({ ...r.onDemand?.body, rows: r.onDemand?.body?.rows?.map((row: Json) => ({ version: row.version, role: row.role })) });
    r.streamMetrics = (await gql('{ streamSources { name stored deadLettered lag paused } }')).data;
  } finally {
    await nc.close();
  }
}
