import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { TesseraClient } from './tessera-client';
import { secret } from './tour-format';
import { ONLINE_REQUEST, rebase, type Json, type TourContext } from './tour-context';

/** Steps 15-16: keys and roles, a policy voted and enforced, an access agreement and masked personal data. */
export async function governanceSteps(c: TourContext): Promise<void> {
  const { out, admin, r, now, root, work, example, gqlAs, post, cli } = c;
  const onlineRequest = ONLINE_REQUEST;
  // 15 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(
    15,
    'Federated governance: a policy proposed, voted and enforced.',
    'Every key belongs to a principal with roles; [`examples/principals.yaml`](examples/principals.yaml) lists the people and services of steps 15 and 16:',
  );
  r.noKey = await post(admin.withKey(undefined), `curl -s -XPOST $TESSERA_URL/get-online-features -H 'content-type: application/json' -d '${JSON.stringify(onlineRequest)}'`, '/get-online-features', onlineRequest);
  out.shell(`curl -s $TESSERA_URL/v1/models -H 'Authorization: Bearer tsk_wrong'`);
  r.wrongKey = await admin.withKey('tsk_wrong').send('GET', '/v1/models');
  out.show(r.wrongKey.body);
  const keys: Record<string, TesseraClient> = {};
  const principals = parse(readFileSync(resolve(root, 'examples/principals.yaml'), 'utf8')) as { name: string; id: string; kind: string; roles: Json[] }[];
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
  r.forbidden = await post(
    keys.ben,
    `curl -s -XPOST $TESSERA_URL/materialize-incremental -H "Authorization: Bearer $BEN" -H 'content-type: application/json' -d "{\\"end_ts\\":\\"$(date -u +%FT%TZ)\\"}"`,
    '/materialize-incremental',
    { end_ts: new Date(now()).toISOString() },
  );
  out.say(
    'Ana (rides) proposes [`examples/description-limitations.policy.yaml`](examples/description-limitations.policy.yaml): every product states its limitations. She cannot approve her own policy; two other domains approve (quorum 2) and it is active at once:',
  );
  const policy = readFileSync(resolve(root, 'examples/description-limitations.policy.yaml'), 'utf8');
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
  cpSync(resolve(root, 'examples/rides-zones'), zonesCopy, { recursive: true });
  const zonesProduct = join(zonesCopy, 'rides-zones.odps.yaml');
  writeFileSync(zonesProduct, readFileSync(zonesProduct, 'utf8').replace(/^\s+limitations:.*\n/m, ''));
  out.shell('npm run tessera --silent -- apply /tmp/tour/rides-zones      # examples/rides-zones without its description.limitations line');
  r.zonesRefused = await cli(zonesCopy);
  out.show(rebase(r.zonesRefused.stdout || r.zonesRefused.stderr, work));
  out.shell('npm run tessera --silent -- apply examples/rides-zones');
  r.zonesApplied = await cli(resolve(root, 'examples/rides-zones'));
  out.show(r.zonesApplied.stdout || r.zonesApplied.stderr);

  // 16 ──────────────────────────────────────────────────────────────────────────────────────────
  out.step(
    16,
    'A consumer denied, then granted access, then reading masked personal data.',
    'Every feature read needs an approved agreement for each output port behind the views it reads, unless the caller belongs to the port’s domain. The rides domain adds the `driver_profile` view of [`examples/driver-profile/`](examples/driver-profile/) over its PII port `rides-drivers/profiles` (`city` public, `email` pii) and loads its rows:',
  );
  out.shell('npm run tessera --silent -- apply examples/driver-profile');
  r.view = await cli(resolve(root, 'examples/driver-profile'));
  out.show(r.view.stdout || r.view.stderr);
  const PROFILES = '/v1/data-products/rides-drivers/ports/profiles/rows';
  r.profiles = (
    await post(
      admin,
      `npm run --silent tour -- --fill examples/driver-profile/driver-profiles.ndjson | curl -s -XPOST $TESSERA_URL${PROFILES} -H "$AUTH" -H 'content-type: application/x-ndjson' --data-binary @-`,
      PROFILES,
      example('driver-profile/driver-profiles.ndjson'),
    )
  ).body;
  const profileRun = { end_ts: new Date(now()).toISOString(), feature_views: ['driver_profile'] };
  r.profileMaterialized = (
    await post(
      admin,
      `curl -s -XPOST $TESSERA_URL/materialize-incremental -H "$AUTH" -H 'content-type: application/json' -d "{\\"end_ts\\":\\"$(date -u +%FT%TZ)\\",\\"feature_views\\":[\\"driver_profile\\"]}"`,
      '/materialize-incremental',
      profileRun,
    )
  ).body;
  const profileRequest = { features: ['driver_profile:city', 'driver_profile:email'], entities: { driver_id: [1001, 1002] } };
  const profileCmd = `curl -s -XPOST $TESSERA_URL/get-online-features -H "Authorization: Bearer $DASH" -H 'content-type: application/json' -d '${JSON.stringify(profileRequest)}'`;
  r.denied = await post(keys.dash, profileCmd, '/get-online-features', profileRequest);
  const endDate = new Date(now() + 90 * 86_400_000).toISOString().slice(0, 10);
  r.request = await gqlAs(
    keys.dash,
    'DASH',
    `mutation { requestAccess(input: {dataProduct: "rides-drivers", outputPort: "profiles", purpose: "fraud dashboard: drivers per city", endDate: "${endDate}T00:00:00Z"}) { id status piiAccess } }`,
  );
  const agreement = r.request.data?.requestAccess?.id ?? 'missing';
  r.approve = await gqlAs(keys.rita, 'RITA', `mutation { approveAccess(id: "${agreement}", reason: "aggregates only") { status decidedBy } }`);
  r.granted = await post(keys.dash, `${profileCmd}     # again`, '/get-online-features', profileRequest);
  const offline = { features: ['driver_profile:email'], entities: { driver_id: [1002], event_timestamp: [new Date(now()).toISOString()] } };
  r.grantedOffline = await post(
    keys.dash,
    `curl -s -XPOST $TESSERA_URL/v1/historical-features -H "Authorization: Bearer $DASH" -H 'content-type: application/json' -d '${JSON.stringify(offline)}'`,
    '/v1/historical-features',
    offline,
  );
  out.say(
    'The email comes back as HMAC-SHA256 with a server secret (`TESSERA_PII_HMAC_SECRET`, else generated into `.tessera/pii-secret`): the same token online and offline, so joins and counts still work. An agreement requested with `piiAccess: true` and approved shows the values in clear; `revokeAccess` and the end date stop reads. Details: [ADR 0016](docs/adr/0016-access-agreements.md).',
  );
}
