import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardsAvailable, standardsDir, standardsSkipNotice } from '../support/standards-dir';
import { startTestApp, TestApp } from '../support/test-app';

const available = standardsAvailable();
const { dir } = standardsDir();
const examples = (sub: string): { path: string; content: string }[] =>
  available
    ? readdirSync(join(dir, sub))
        .sort()
        .map((name) => ({ path: `${sub}/${name}`, content: readFileSync(join(dir, sub, name), 'utf8') }))
    : [];

const SUITE = 'conformance: the official ODCS and ODPS examples apply cleanly';
if (!available) console.warn(standardsSkipNotice(SUITE));

(available ? describe : describe.skip)(available ? SUITE : standardsSkipNotice(SUITE), () => {
  let t: TestApp;
  beforeAll(async () => {
    // Official JSON Schema validation on top of Tessera's own rules.
    t = await startTestApp({ TESSERA_STANDARDS_DIR: dir });
  });
  afterAll(() => t.close());

  const files = [...examples('odcs-examples'), ...examples('odps-examples')];

  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  // Several examples reuse one contract id with different content, so each is applied on its own
  // (a dry run: the whole apply path runs, including the database writes, then rolls back).
  it.each(files.map((f) => [f.path, f]))('%s is accepted', async (_path, file) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [file], dryRun: true } });
    const body = res.json();
    expect(body.error?.details?.errors ?? []).toEqual([]);
    expect(res.statusCode).toBe(200);
    expect(body.summary.created).toBeGreaterThan(0);
    // References to contracts not in the catalog are warnings, never errors; so are sql rules that name
    // their table unqualified (`FROM air_quality`), which Tessera would refuse once a port stores the contract.
    for (const w of body.warnings) expect(w.message).toMatch(/not in the catalog yet|version|type|^sql rule will be refused when a port stores this contract: relation \w+: unqualified names/);
  });

  it('stores the ODPS examples for real, with their ports', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: examples('odps-examples') } });
    expect(res.statusCode).toBe(200);
    const products = await t.gql<{ dataProducts: { totalCount: number; edges: { node: { id: string; outputPorts: { name: string }[] } }[] } }>(
      '{ dataProducts { totalCount edges { node { id outputPorts { name } } } } }',
    );
    expect(products.data?.dataProducts.totalCount).toBe(2);
    const customer = products.data?.dataProducts.edges.find((e) => e.node.id === 'fbe8d147-28db-4f1d-bedf-a3fe9f458427');
    expect(customer?.node.outputPorts.map((p) => p.name)).toEqual(['rawtransactions', 'rawtransactions', 'consolidatedtransactions', 'fulltransactionswithreturns']);
  });

  it('refuses what only the official schema forbids (ODPS has additionalProperties: false)', async () => {
    const content = 'apiVersion: v1.0.0\nkind: DataProduct\nid: x-1\nstatus: draft\nsurprise: true\n';
    const res = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'x.odps.yaml', content }] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([expect.objectContaining({ file: 'x.odps.yaml', path: 'surprise', message: expect.stringMatching(/ODPS v1.0.0 schema: unknown field/) })]);
  });
});
