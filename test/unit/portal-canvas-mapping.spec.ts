import fc from 'fast-check';
import { parseContractFiles } from '../../src/catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../src/catalog/contracts/documents/validate-documents';
import { parse } from 'yaml';
import {
  Canvas,
  canvasToFiles,
  canvasToYaml,
  carryOver,
  CLASSIFICATIONS,
  contractIdOf,
  emptyCanvas,
  emptyColumn,
  issueKey,
  LOGICAL_TYPES,
  messagesAt,
  productToCanvas,
  toContractDocument,
  toProductDocument,
  unplacedIssues,
  type ProductView,
} from '../../web/src/pages/design/canvas-mapping';

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

/**
 * An existing product as the catalog returns it: the view the canvas reads (derived here from the
 * stored documents, as the catalog derives it) plus the documents as applied.
 */
interface StoredPort {
  name: string;
  version: string;
  contractId: string;
  customProperties?: { property: string; value: unknown }[];
}
interface StoredContract {
  id: string;
  schema?: { name: string; properties: { name: string; description?: string }[] }[];
  slaProperties?: { property: string; value: unknown }[];
}
type StoredProduct = Pick<ProductView, 'id' | 'name' | 'domain' | 'status'> & Partial<Pick<ProductView, 'version' | 'tags' | 'description' | 'team' | 'support' | 'inputPorts'>> & { outputPorts?: StoredPort[] };

function viewOf(product: StoredProduct, contracts: StoredContract[]): ProductView {
  return {
    id: product.id,
    name: product.name,
    domain: product.domain,
    version: product.version ?? null,
    status: product.status,
    tags: product.tags ?? [],
    description: product.description ?? {},
    team: product.team ?? null,
    support: product.support ?? [],
    inputPorts: product.inputPorts ?? [],
    spec: product,
    outputPorts: (product.outputPorts ?? []).map((o) => {
      const prop = (name: string) => o.customProperties?.find((c) => c.property === name)?.value as boolean | undefined;
      const k = contracts.find((c) => c.id === o.contractId);
      return {
        name: o.name,
        version: o.version,
        containsPii: prop('containsPii') ?? null,
        autoApprove: prop('autoApprove') ?? null,
        contract: k ? { schema: k.schema ?? [], slaProperties: k.slaProperties ?? [], spec: k as unknown as Record<string, unknown> } : null,
      };
    }),
  };
}

const documentsOf = (c: Canvas) => {
  const [product, ...contracts] = canvasToFiles(c).map((f) => parse(f.content) as Record<string, unknown>);
  return { product, contracts: contracts as unknown as (StoredContract & { schema: { quality?: unknown; properties: unknown[] }[]; slaProperties: unknown[] })[] };
};

/** Stored documents with fields the canvas shows and plenty it does not (quality, extra SLA, custom properties...). */
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(snake, tie('v'), { maxKeys: 3 })),
})).v;
const extras = fc.dictionary(fc.stringMatching(/^x[A-Za-z]{1,8}$/), json, { maxKeys: 3 });
const storedColumn = fc.record(
  {
    name: snake,
    logicalType: fc.constantFrom(...LOGICAL_TYPES),
    physicalType: fc.constantFrom('text', 'bigint'),
    classification: fc.constantFrom(...CLASSIFICATIONS),
    required: fc.boolean(),
    primaryKey: fc.boolean(),
    description: text,
    quality: fc.array(fc.record({ rule: fc.constantFrom('nullCheck', 'uniqueCheck'), mustBe: fc.nat(5) }), { maxLength: 2 }),
    examples: fc.array(fc.string(), { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'logicalType'] },
);
const stored = fc
  .record({
    id: kebab,
    name: text,
    domain: kebab,
    version: semver,
    status: fc.constantFrom('proposed', 'draft', 'active'),
    purpose: text,
    tags: fc.uniqueArray(kebab, { maxLength: 3 }),
    productExtras: extras,
    ports: fc.uniqueArray(
      fc.record({
        name: snake,
        version: semver,
        containsPii: fc.option(fc.boolean(), { nil: undefined }),
        otherProperty: fc.option(fc.string(), { nil: undefined }),
        contractId: fc.option(kebab, { nil: undefined }),
        table: snake,
        columns: fc.uniqueArray(storedColumn, { minLength: 1, maxLength: 4, selector: (c) => c.name }),
        sla: fc.uniqueArray(fc.record({ property: fc.constantFrom('latency', 'availability', 'retention', 'frequency'), value: fc.integer({ min: 1, max: 99 }), unit: fc.constantFrom('h', 'd', 'percent') }), {
          maxLength: 3,
          selector: (x) => x.property,
        }),
        contractExtras: extras,
        quality: fc.array(fc.record({ type: fc.constant('sql'), query: fc.string(), mustBeLessThan: fc.nat(9) }), { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 3, selector: (p) => p.name },
    ),
  })
  .map((g) => {
    const contracts = g.ports.map((p) => ({
      apiVersion: 'v3.0.2',
      kind: 'DataContract',
      id: p.contractId ?? `${g.id}-${p.name}-v1`,
      name: `${p.name} contract`,
      version: p.version,
      status: g.status,
      schema: [{ name: p.table, physicalName: p.table, physicalType: 'table', properties: p.columns, quality: p.quality }],
      slaProperties: p.sla,
      ...p.contractExtras,
    }));
    const product = {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: g.id,
      name: g.name,
      domain: g.domain,
      version: g.version,
      status: g.status,
      description: { purpose: g.purpose, extra: 'kept' },
      tags: g.tags,
      customProperties: [{ property: 'dataProductType', value: 'aggregate' }],
      outputPorts: g.ports.map((p, i) => ({
        name: p.name,
        version: p.version,
        type: 'table',
        contractId: contracts[i].id,
        customProperties: [...(p.containsPii === undefined ? [] : [{ property: 'containsPii', value: p.containsPii }]), ...(p.otherProperty === undefined ? [] : [{ property: 'other', value: p.otherProperty }])],
      })),
      support: [{ channel: '#team', url: 'https://chat.example.com/team', tool: 'slack', scope: 'interactive' }],
      team: {
        name: 'team',
        members: [
          { username: 'ana', name: 'Ana', role: 'owner' },
          { username: 'ben', role: 'data steward' },
        ],
      },
      ...g.productExtras,
    };
    return { product, contracts };
  });

describe('design canvas editing an existing product: the stored documents round-trip', () => {
  it('gives back the stored documents exactly when nothing is edited (property test)', () => {
    fc.assert(
      fc.property(stored, ({ product, contracts }) => {
        const c = productToCanvas(viewOf(product, contracts));
        expect(toProductDocument(c)).toEqual(product);
        c.outputPorts.forEach((p, i) => expect(toContractDocument(c, p)).toEqual(contracts[i]));
        // And through YAML, as the files apply sends.
        const docs = documentsOf(c);
        expect(docs.product).toEqual(JSON.parse(JSON.stringify(product)));
        expect(docs.contracts).toEqual(JSON.parse(JSON.stringify(contracts)));
      }),
      { numRuns: 100 },
    );
  });

  it('writes exactly the edited field onto the stored documents (property test)', () => {
    fc.assert(
      fc.property(stored, text, fc.nat(), ({ product, contracts }, purpose, pick) => {
        const c = productToCanvas(viewOf(product, contracts));
        const i = pick % c.outputPorts.length;
        const edited: Canvas = { ...c, purpose, outputPorts: c.outputPorts.map((p, n) => (n === i ? { ...p, columns: p.columns.map((col, j) => (j === 0 ? { ...col, description: 'edited' } : col)) } : p)) };
        expect(toProductDocument(edited)).toEqual({ ...product, description: { ...product.description, purpose } });
        const want = structuredClone(contracts[i]);
        want.schema[0].properties[0].description = 'edited';
        expect(toContractDocument(edited, edited.outputPorts[i])).toEqual(want);
        edited.outputPorts.forEach((p, n) => n !== i && expect(toContractDocument(edited, p)).toEqual(contracts[n]));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps quality rules, extra SLA properties and custom properties through edits; adds and removes what the canvas adds and removes', () => {
    const product = {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: 'rides-x',
      name: 'X',
      domain: 'rides',
      version: '1.0.0',
      status: 'active',
      description: { purpose: 'p' },
      tags: ['rides'],
      outputPorts: [
        {
          name: 'daily',
          version: '1.0.0',
          contractId: 'rides-x-daily-v1',
          type: 'table',
          customProperties: [
            { property: 'containsPii', value: false },
            { property: 'autoApprove', value: true },
            { property: 'retentionDays', value: 30 },
          ],
        },
      ],
    };
    const contract = {
      apiVersion: 'v3.0.2',
      kind: 'DataContract',
      id: 'rides-x-daily-v1',
      name: 'rides-x-daily',
      version: '1.0.0',
      status: 'active',
      schema: [
        {
          name: 'x_daily',
          physicalName: 'x_daily',
          physicalType: 'table',
          properties: [
            { name: 'a', logicalType: 'integer', required: true, quality: [{ rule: 'nullCheck', mustBe: 0 }] },
            { name: 'b', logicalType: 'string', classification: 'internal' },
          ],
          quality: [{ type: 'sql', query: 'SELECT count(*) FROM x_daily', mustBeGreaterThan: 0 }],
        },
      ],
      slaProperties: [
        { property: 'latency', value: 2, unit: 'h', element: 'x_daily.a' },
        { property: 'retention', value: 1, unit: 'y' },
      ],
    };
    const c = productToCanvas(viewOf(product, [contract]));
    expect(c.outputPorts[0]).toMatchObject({ autoApprove: true, latencyHours: '2' });
    const port = c.outputPorts[0];
    const edited: Canvas = {
      ...c,
      tags: ['rides', 'daily'],
      outputPorts: [{ ...port, latencyHours: '4', availabilityPercent: '99.9', columns: [port.columns[0], { ...emptyColumn(), name: 'c', logicalType: 'number' }] }],
    };
    const out = documentsOf(edited);
    expect(out.product).toEqual({ ...product, tags: ['rides', 'daily'] });
    expect(out.contracts[0].schema[0].quality).toEqual(contract.schema[0].quality);
    expect(out.contracts[0].schema[0].properties).toEqual([contract.schema[0].properties[0], { name: 'c', logicalType: 'number', classification: 'internal' }]);
    expect(out.contracts[0].slaProperties).toEqual([
      { property: 'latency', value: 4, unit: 'h', element: 'x_daily.a' },
      { property: 'retention', value: 1, unit: 'y' },
      { property: 'availability', value: 99.9, unit: 'percent' },
    ]);
    // The result is still a valid product the service accepts.
    expect(validate(edited).issues).toEqual([]);
  });

  it('merges lists by position when the edit kept their length and by key when it did not', () => {
    const s = [
      { name: 'a', q: 1 },
      { name: 'b', q: 2 },
      { name: 'c', q: 3 },
    ];
    const before = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    expect(carryOver(s, before, [{ name: 'a' }, { name: 'B' }, { name: 'c' }])).toEqual([
      { name: 'a', q: 1 },
      { name: 'B', q: 2 },
      { name: 'c', q: 3 },
    ]);
    expect(carryOver(s, before, [{ name: 'a' }, { name: 'c' }])).toEqual([
      { name: 'a', q: 1 },
      { name: 'c', q: 3 },
    ]);
    expect(carryOver(s, before, [...before, { name: 'd' }])).toEqual([...s, { name: 'd' }]);
    expect(carryOver({ a: 1, b: 2, keep: 3 }, { a: 1, b: 2 }, { a: 1 })).toEqual({ a: 1, keep: 3 });
  });
});
