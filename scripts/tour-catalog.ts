import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { lastLines, rebase, type Json, type TourContext } from './tour-context';

/** Steps 1-7: the service, discovery over GraphQL and REST, contracts as code, typed errors. */
export async function catalogSteps(c: TourContext): Promise<void> {
  const { out, admin, r, root, work, gql, post, cli } = c;
  // 1 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(
    1,
    'The service is up; the example mesh in `contracts/` is applied.',
    'With `npm start` running in another terminal: every route but `/health` and `/ready` needs a key; the CLI and the scripts read `TESSERA_URL` and `TESSERA_API_KEY`:',
  );
  out.shell('export TESSERA_URL=http://localhost:3000 TESSERA_API_KEY="$(cat .tessera/admin-key)"; export AUTH="Authorization: Bearer $TESSERA_API_KEY"');
  out.shell(`gql() { curl -s "$TESSERA_URL/graphql" -H "$AUTH" -H 'content-type: application/json' -d "$(jq -n --arg q "$1" --argjson v "\${2:-null}" '{query: $q, variables: $v}')"; }`);
  out.shell('gql_as() { AUTH="Authorization: Bearer $1" gql "$2" "$3"; }     # the same with another key');
  out.shell('curl -s $TESSERA_URL/ready');
  r.ready = (await admin.send('GET', '/ready')).body;
  out.show(r.ready);
  out.shell('npm run tessera --silent -- apply contracts');
  const mesh = await cli(resolve(root, 'contracts'));
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
      cpSync(resolve(root, 'contracts'), join(dir, 'contracts'), { recursive: true });
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
    r.breaking = await cli(breaking);
    out.show(rebase(r.breaking.stdout || r.breaking.stderr, work));
    out.shell('echo $?');
    out.show(String(r.breaking.exitCode));
    out.say('An additive change is a minor version (here as a dry run, which stores nothing): the same copy with a `cancel_rate` property added instead.');
    const additive = copy('additive', (c) => {
      c.version = '1.1.0';
      c.schema[0].properties.push({
        name: 'cancel_rate',
        businessName: 'Cancellation rate',
        description: 'Share of accepted trips the driver cancelled.',
        logicalType: 'number',
        physicalType: 'double precision',
        required: false,
        classification: 'internal',
      });
    });
    out.shell('npm run tessera --silent -- apply /tmp/tour/additive/contracts --dry-run');
    r.additive = await cli(additive, true);
    out.show(rebase(r.additive.stdout || r.additive.stderr, work));
    out.shell('npm run tessera --silent -- apply contracts            # the files as they are: nothing to do');
    r.again = await cli(resolve(root, 'contracts'));
    out.show(lastLines(r.again.stdout || r.again.stderr, 1));
  }

  // 7 ───────────────────────────────────────────────────────────────────────────────────────────
  out.step(7, 'Bad input gets a typed error naming the file, the path inside the document and the reason.');
  const bad = 'apiVersion: v1.0.0\nkind: DataProduct\nid: x\nstatus: launched\noutputPorts:\n  - name: out\n';
  r.badApply = await post(
    admin,
    `curl -s -XPOST $TESSERA_URL/v1/contracts/apply -H "$AUTH" -H 'content-type: application/json' -d '{"files":[{"path":"contracts/x.odps.yaml","content":${JSON.stringify(bad)}}]}'`,
    '/v1/contracts/apply',
    {
      files: [{ path: 'contracts/x.odps.yaml', content: bad }],
    },
  );
}
