import fs from 'node:fs';
import path from 'node:path';
import { OfficialSchemaValidator } from '../../../src/catalog/contracts/documents/official-schema-validator';
import { parseContractFiles } from '../../../src/catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../../src/catalog/contracts/documents/validate-documents';
import { STANDARDS_DIR } from './contract-fixtures';

// ../shared is absent on some machines: skip rather than fail there.
const describeIfStandards = fs.existsSync(STANDARDS_DIR) ? describe : describe.skip;

function examples(folder: string): [string, string][] {
  const dir = path.join(STANDARDS_DIR, folder);
  if (!fs.existsSync(dir)) return [['(missing)', '']];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => [f, path.join(dir, f)]);
}

describeIfStandards('official ODCS/ODPS examples', () => {
  const validator = fs.existsSync(STANDARDS_DIR) ? OfficialSchemaValidator.fromDirectory(STANDARDS_DIR) : null;

  it('finds the official schemas', () => {
    expect(validator).not.toBeNull();
  });

  describe.each([
    ['odcs-examples', 'DataContract'],
    ['odps-examples', 'DataProduct'],
  ])('%s', (folder, kind) => {
    it.each(examples(folder))('%s parses and validates with zero errors', (name, file) => {
      const { docs, issues } = parseContractFiles([{ path: name, content: fs.readFileSync(file, 'utf8') }]);
      expect(issues).toEqual([]);
      expect(docs).toHaveLength(1);
      expect(docs[0].kind).toBe(kind);

      // Validated one by one: many examples share the same id and version (see report).
      const validated = validateDocuments(docs);
      expect(validated.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(validated.documents).toHaveLength(1);

      expect(validator!.validate(docs[0])).toEqual([]);
    });
  });

  it('flags the examples that reuse one id and version when applied as one batch', () => {
    const files = examples('odcs-examples').map(([name, file]) => ({ path: name, content: fs.readFileSync(file, 'utf8') }));
    const { docs } = parseContractFiles(files);
    const { issues, documents } = validateDocuments(docs);
    const errors = issues.filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.path === 'id' && e.message.startsWith('duplicate DataContract id'))).toBe(true);
    expect(documents.length + errors.length).toBe(docs.length);
  });

  it('normalizes the ODPS customer example (tables → table, domain, team)', () => {
    const file = path.join(STANDARDS_DIR, 'odps-examples/customer-data-product.odps.yaml');
    const { docs } = parseContractFiles([{ path: 'customer.odps.yaml', content: fs.readFileSync(file, 'utf8') }]);
    const [doc] = validateDocuments(docs).documents;
    if (doc.kind !== 'DataProduct') throw new Error('expected a product');
    expect(doc.value.domain).toBe('seller');
    expect(doc.value.version).toBeNull();
    expect(doc.value.outputPorts.map((p) => p.type)).toEqual(['table', 'table', 'table', 'table']);
    expect(doc.value.team?.members.map((m) => m.role)).toEqual(['owner', 'data steward']);
    expect(doc.value.support[1]).toEqual({ channel: 'Email Support', url: 'mailto:data-support@retailcorp.com', tool: 'email', scope: 'issues' });
  });

  it('normalizes the ODCS full example (quality located, SLA, team object)', () => {
    const file = path.join(STANDARDS_DIR, 'odcs-examples/all__full-example.odcs.yaml');
    const { docs } = parseContractFiles([{ path: 'full.odcs.yaml', content: fs.readFileSync(file, 'utf8') }]);
    const [doc] = validateDocuments(docs).documents;
    if (doc.kind !== 'DataContract') throw new Error('expected a contract');
    const c = doc.value;
    expect(c.quality.map((q) => [q.path, q.element, q.metric, q.operator])).toEqual([
      ['schema[0]', 'tbl', 'rowCount', 'mustBeGreaterThan'],
      ['schema[0].properties[2]', 'tbl.rcvr_cntry_code', 'nullValues', 'mustBe'],
    ]);
    expect(c.slaProperties.find((s) => s.property === 'latency')).toEqual({
      property: 'latency',
      value: 4,
      unit: 'd',
      element: 'tab1.txn_ref_dt',
      driver: null,
      description: null,
    });
    expect(c.team?.name).toBe('my-team');
    expect(c.schema.map((o) => o.name)).toEqual(['tbl', 'receivers']);
  });

  it('keeps nested properties and array items of the all-schema-types example', () => {
    const file = path.join(STANDARDS_DIR, 'odcs-examples/schema__all-schema-types.odcs.yaml');
    const { docs } = parseContractFiles([{ path: 'types.odcs.yaml', content: fs.readFileSync(file, 'utf8') }]);
    const [doc] = validateDocuments(docs).documents;
    if (doc.kind !== 'DataContract') throw new Error('expected a contract');
    const x = doc.value.schema[2].properties[0];
    expect(x.items?.logicalType).toBe('object');
    expect(x.items?.properties.map((p) => p.name)).toEqual(['id', 'zip']);
  });
});
