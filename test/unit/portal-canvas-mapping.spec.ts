import fc from 'fast-check';
import { parseContractFiles } from '../../src/catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../src/catalog/contracts/documents/validate-documents';
import { Canvas, canvasToFiles, canvasToYaml, CLASSIFICATIONS, contractIdOf, emptyCanvas, issueKey, LOGICAL_TYPES, messagesAt, productToCanvas, unplacedIssues } from '../../web/src/pages/design/canvas-mapping';

/**
 * The design page's canvas mapping (web/src/pages/design/canvas-mapping.ts), judged by the
 * service's own parser and validator: whatever a filled canvas produces must validate and say what
 * the canvas said; every problem the validator finds in a broken canvas lands at a field the canvas
 * shows (none is left unplaced).
 */
const validate = (c: Canvas) => {
  const parsed = parseContractFiles(canvasToFiles(c));
  const validated = validateDocuments(parsed.docs);
  return { issues: [...parsed.issues, ...validated.issues].filter((i) => i.severity === 'error'), documents: validated.documents };
};

const snake = fc.stringMatching(/^[a-z][a-z0-9_]{1,12}$/);
const kebab = fc.stringMatching(/^[a-z][a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}$/);
const text = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.'’:()#-]{0,60}$/);
const semver = fc.tuple(fc.nat(9), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);

const column = fc.record({
  name: snake,
  logicalType: fc.constantFrom(...LOGICAL_TYPES),
  physicalType: fc.constantFrom('', 'text', 'bigint', 'real'),
  classification: fc.constantFrom(...CLASSIFICATIONS),
  required: fc.boolean(),
  primaryKey: fc.constant(false),
  description: fc.oneof(fc.constant(''), text),
});
const port = fc.record({
  name: snake,
  version: semver,
  description: fc.oneof(fc.constant(''), text),
  containsPii: fc.boolean(),
  autoApprove: fc.boolean(),
  table: snake,
  columns: fc.uniqueArray(column, { minLength: 1, maxLength: 5, selector: (c) => c.name }),
  latencyHours: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 48 }).map(String)),
  availabilityPercent: fc.oneof(fc.constant(''), fc.constantFrom('99', '99.5', '99.9')),
});
const canvas: fc.Arbitrary<Canvas> = fc
  .record({
    id: kebab,
    name: text,
    domain: kebab,
    version: semver,
    status: fc.constantFrom('proposed', 'draft', 'active'),
    purpose: text,
    usage: fc.oneof(fc.constant(''), text),
    limitations: fc.oneof(fc.constant(''), text),
    tags: fc.uniqueArray(kebab, { maxLength: 3 }),
    teamName: fc.oneof(fc.constant(''), kebab),
    owner: fc.oneof(fc.constant(''), snake),
    supportChannel: fc.oneof(fc.constant(''), fc.constant('#team-data')),
    supportUrl: fc.constant(''),
    inputPorts: fc.constant<Canvas['inputPorts']>([]),
    outputPorts: fc.uniqueArray(port, { minLength: 1, maxLength: 3, selector: (p) => p.name }),
  })
  .map((c) => ({ ...c, supportUrl: c.supportChannel ? 'https://chat.example.com/team-data' : '' })); // ODPS: a support entry needs both

describe('design canvas → ODPS + ODCS YAML', () => {
  it('produces documents the service validates, carrying what the canvas says (property test)', () => {
    fc.assert(
      fc.property(canvas, (c) => {
        const { issues, documents } = validate(c);
        expect(issues).toEqual([]);
        const product = documents.find((d) => d.kind === 'DataProduct')!.value;
        expect(product).toMatchObject({ id: c.id, name: c.name, domain: c.domain, tags: c.tags });
        expect(product.description.purpose).toBe(c.purpose);
        expect(product.support.length).toBe(c.supportChannel ? 1 : 0);
        expect(product.outputPorts.map((p) => [p.name, p.version, p.containsPii, p.autoApprove, p.contractId])).toEqual(
          c.outputPorts.map((p) => [p.name, p.version, p.containsPii, p.autoApprove, contractIdOf(c, p)]),
        );
        const contracts = documents.filter((d) => d.kind === 'DataContract').map((d) => d.value);
        expect(contracts.map((k) => k.id)).toEqual(c.outputPorts.map((p) => contractIdOf(c, p)));
        contracts.forEach((k, i) => {
          const p = c.outputPorts[i];
          expect(k.schema[0].properties.map((x) => [x.name, x.logicalType, x.classification, x.required])).toEqual(p.columns.map((x) => [x.name, x.logicalType, x.classification, x.required]));
          expect(k.slaProperties.map((s) => s.property).sort()).toEqual([...(p.latencyHours ? ['latency'] : []), ...(p.availabilityPercent ? ['availability'] : [])].sort());
        });
      }),
      { numRuns: 60 },
    );
  });

  it('places every validator problem of a broken canvas at a field the canvas shows', () => {
    fc.assert(
      fc.property(canvas, fc.nat(), fc.constantFrom('port-version', 'product-status', 'logical-type', 'no-id', 'no-column-name', 'support-without-url'), (c, pick, breakage) => {
        const i = pick % c.outputPorts.length;
        const broken: Canvas = structuredClone(c);
        if (breakage === 'port-version') broken.outputPorts[i].version = '';
        if (breakage === 'product-status') broken.status = 'bogus';
        if (breakage === 'support-without-url') Object.assign(broken, { supportChannel: '#x', supportUrl: '' });
        if (breakage === 'logical-type') broken.outputPorts[i].columns[0].logicalType = 'decimalish';
        if (breakage === 'no-id') broken.id = '';
        if (breakage === 'no-column-name') broken.outputPorts[i].columns[0].name = '';
        const { issues } = validate(broken);
        expect(issues.length).toBeGreaterThan(0);
        expect(unplacedIssues(broken, issues)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('shows a port version error at that port, a column error at that column, a policy violation of a contract at its port', () => {
    const c: Canvas = { ...emptyCanvas('rides'), id: 'rides-x', name: 'X', purpose: 'p' };
    c.outputPorts = [
      { ...c.outputPorts[0], name: 'daily', table: 'x_daily', version: '', columns: [{ ...c.outputPorts[0].columns[0], name: 'a', logicalType: 'decimalish' }] },
      { ...c.outputPorts[0], name: 'hourly', table: 'x_hourly', columns: [{ ...c.outputPorts[0].columns[0], name: 'b' }] },
    ];
    const { issues } = validate(c);
    expect(messagesAt(c, issues, 'port0:version')).toEqual(['required']);
    expect(messagesAt(c, issues, 'port0:schema[0].properties[0]').join()).toMatch(/decimalish|logicalType/);
    expect(messagesAt(c, issues, 'port1:version')).toEqual([]);
    const violation = { file: 'contracts/rides/rides-x.odps.yaml', path: `${contractIdOf(c, c.outputPorts[1])}#slaProperties`, message: 'lacks latency' };
    expect(issueKey(c, violation)).toBe('port1:slaProperties');
    expect(messagesAt(c, [violation], 'port1:slaProperties')).toEqual(['lacks latency']);
    expect(issueKey(c, { file: 'contracts/rides/rides-x.odps.yaml', path: 'support', message: 'no support channel is declared' })).toBe('product:support');
  });

  it('reads an existing product back into the canvas and writes the same fields again', () => {
    const c = productToCanvas({
      id: 'rides-x',
      name: 'X',
      domain: 'rides',
      version: '1.2.0',
      status: 'active',
      tags: ['rides'],
      description: { purpose: 'p', usage: null, limitations: 'l' },
      team: { name: 'rides-data', members: [{ username: 'ana', role: 'owner' }] },
      support: [{ channel: '#rides', url: 'https://chat.example.com/rides' }],
      inputPorts: [],
      outputPorts: [
        {
          name: 'daily',
          version: '1.0.0',
          containsPii: true,
          contract: {
            schema: [{ name: 'daily', physicalName: 'x_daily', properties: [{ name: 'a', logicalType: 'integer', classification: 'pii', required: true }] }],
            slaProperties: [{ property: 'latency', value: 2, unit: 'h' }],
          },
        },
      ],
    });
    expect(c).toMatchObject({
      owner: 'ana',
      teamName: 'rides-data',
      supportChannel: '#rides',
      outputPorts: [{ table: 'x_daily', latencyHours: '2', containsPii: true, columns: [{ name: 'a', classification: 'pii', required: true }] }],
    });
    expect(validate(c).issues).toEqual([]);
    expect(canvasToYaml(c)).toContain('contractId: rides-x-daily-v1');
  });
});
