import { existsSync } from 'node:fs';
import { scoreInBrowser, scoreInProcess } from './client-scoring';
import { CHROMIUM } from './hybrid-page';
import type { Json, TourContext } from './tour-context';

/** Step 17: the model as a dependency (packages/client) and in a browser (hybrid serving, ADR 0032). */
export async function servingSteps(c: TourContext): Promise<void> {
  const { out, admin, r } = c;
  const entities = { driver_id: [1001, 1002, 99999] };
  out.step(
    17,
    'The model as a dependency, and in a browser.',
    'A model bundle is the ONNX bytes with their sha256, the feature order, the signature and the defaults (ADR 0032). `packages/client` downloads it, verifies it and scores in the caller’s process with features from `/get-online-features`; the same modules score it in headless Chromium with onnxruntime-web:',
  );
  out.shell(`curl -s $TESSERA_URL/v1/models/driver_risk/bundle -H "$AUTH" | jq '{format, name, version, sha256, sizeBytes, features: [.features[].ref], onMissing, defaults}'`);
  const bundle = await admin.send<Json>('GET', '/v1/models/driver_risk/bundle');
  const { onnx: _bytes, signature: _signature, featureService: _service, ...summary } = bundle.body;
  r.bundle = { status: bundle.status, body: { ...summary, features: (bundle.body.features as Json[] | undefined)?.map((f) => f.ref) } };
  out.show(r.bundle.body);

  r.serverPredict = (await admin.send<Json>('POST', '/v1/models/driver_risk/predict', { entities })).body;
  out.shell(`npm run client:score -- driver_risk ${entities.driver_id.join(',')} | jq -c '{model, outputs}'     # loadModel() of packages/client, onnxruntime-node`);
  r.clientPredict = await scoreInProcess(admin.baseUrl, admin.key, 'driver_risk', entities);
  out.show({ model: r.clientPredict.model, outputs: r.clientPredict.outputs });
  if (!existsSync(CHROMIUM)) {
    r.browserPredict = null;
    out.say(`(In-browser score skipped: no Chromium at ${CHROMIUM}.)`);
    return;
  }
  out.shell(`npm run client:score -- driver_risk ${entities.driver_id.join(',')} --browser | jq -c '{model, outputs}'     # headless Chromium, onnxruntime-web (wasm served locally)`);
  r.browserPredict = await scoreInBrowser(admin.baseUrl, admin.key ?? '', 'driver_risk', entities, c.root);
  out.show({ model: r.browserPredict.model, outputs: r.browserPredict.outputs });
  out.say('Both equal the service’s `/predict` for the same drivers (the browser within 1e-6); canary routing, the prediction log and PII masking stay on the service. See docs/client.md.');
}
