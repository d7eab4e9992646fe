import { stringify } from 'yaml';

/**
 * The design canvas as data, and its mapping to the documents Tessera applies: one ODPS data
 * product and one ODCS contract per output port. Pure (no React): the component test and the
 * property test (test/unit/portal-canvas-mapping.spec.ts) run it against the service's own parser
 * and validator.
 */

/**
 * A document as applied and as the canvas generated it when loaded: an edit is written onto the
 * stored document as the change from `generated` (see carryOver below), so fields the canvas does not
 * show survive it.
 */
export interface Origin {
  stored: Record<string, unknown>;
  generated: Record<string, unknown>;
}

export interface CanvasColumn {
  name: string;
  logicalType: string;
  physicalType: string;
  classification: string;
  required: boolean;
  primaryKey: boolean;
  description: string;
}

export interface CanvasOutputPort {
  name: string;
  version: string;
  description: string;
  containsPii: boolean;
  autoApprove: boolean;
  /** The contract's one schema object: its table name in the offline store. */
  table: string;
  columns: CanvasColumn[];
  /** Service levels of the contract; empty = not declared. */
  latencyHours: string;
  availabilityPercent: string;
  /** The port's contract as applied, for an existing product. */
  origin?: Origin;
}

export interface CanvasInputPort {
  name: string;
  contractId: string;
  version: string;
}

export interface Canvas {
  id: string;
  name: string;
  domain: string;
  version: string;
  status: string;
  purpose: string;
  usage: string;
  limitations: string;
  tags: string[];
  teamName: string;
  owner: string;
  supportChannel: string;
  supportUrl: string;
  inputPorts: CanvasInputPort[];
  outputPorts: CanvasOutputPort[];
  /** The product document as applied, for an existing product. */
  origin?: Origin;
}

export interface ContractFile {
  path: string;
  content: string;
}

export const LOGICAL_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'object', 'array'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted', 'pii', 'sensitive'] as const;

export const emptyColumn = (): CanvasColumn => ({ name: '', logicalType: 'string', physicalType: '', classification: 'internal', required: false, primaryKey: false, description: '' });
export const emptyOutputPort = (): CanvasOutputPort => ({
  name: '',
  version: '1.0.0',
  description: '',
  containsPii: false,
  autoApprove: false,
  table: '',
  columns: [emptyColumn()],
  latencyHours: '',
  availabilityPercent: '',
});
export const emptyCanvas = (domain = ''): Canvas => ({
  id: '',
  name: '',
  domain,
  version: '1.0.0',
  status: 'draft',
  purpose: '',
  usage: '',
  limitations: '',
  tags: [],
  teamName: '',
  owner: '',
  supportChannel: '',
  supportUrl: '',
  inputPorts: [],
  outputPorts: [emptyOutputPort()],
});

/** The contract id of an output port: `<product>-<port>-v<major>`, the example mesh's convention. */
export function contractIdOf(canvas: Canvas, port: CanvasOutputPort): string {
  const major = /^(\d+)/.exec(port.version)?.[1] ?? '1';
  return `${canvas.id}-${port.name}-v${major}`;
}

export const productFile = (c: Canvas): string => `contracts/${c.domain || 'domain'}/${c.id || 'product'}.odps.yaml`;
export const contractFile = (c: Canvas, port: CanvasOutputPort, i: number): string => `contracts/${c.domain || 'domain'}/${c.id || 'product'}/${port.name || `port-${i}`}.odcs.yaml`;

/** Drops empty strings and empty lists, so an unfilled block is absent (and the validator names it) rather than blank. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}

const numberOr = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

/** The product document: what the canvas says, written onto the stored document when there is one. */
export function toProductDocument(c: Canvas): Record<string, unknown> {
  const generated = generateProduct(c);
  return c.origin ? (carryOver(c.origin.stored, c.origin.generated, generated) as Record<string, unknown>) : generated;
}

/** A port's contract: what the canvas says, written onto the stored contract when there is one. */
export function toContractDocument(c: Canvas, p: CanvasOutputPort): Record<string, unknown> {
  const generated = generateContract(c, p);
  return p.origin ? (carryOver(p.origin.stored, p.origin.generated, generated) as Record<string, unknown>) : generated;
}

function generateProduct(c: Canvas): Record<string, unknown> {
  return compact({
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: c.id,
    name: c.name,
    version: c.version,
    status: c.status,
    domain: c.domain,
    description: compact({ purpose: c.purpose, usage: c.usage, limitations: c.limitations }),
    tags: c.tags,
    inputPorts: c.inputPorts.map((p) => compact({ name: p.name, version: p.version, contractId: p.contractId })),
    outputPorts: c.outputPorts.map((p) =>
      compact({
        name: p.name,
        description: p.description,
        type: 'table',
        version: p.version,
        contractId: contractIdOf(c, p),
        customProperties: [
          { property: 'containsPii', value: p.containsPii },
          { property: 'autoApprove', value: p.autoApprove },
        ],
      }),
    ),
    support: c.supportChannel || c.supportUrl ? [compact({ channel: c.supportChannel, url: c.supportUrl })] : [],
    team: c.teamName || c.owner ? compact({ name: c.teamName, members: c.owner ? [{ username: c.owner, role: 'owner' }] : [] }) : undefined,
  });
}

function generateContract(c: Canvas, p: CanvasOutputPort): Record<string, unknown> {
  const sla = [
    ...(p.latencyHours.trim() ? [{ property: 'latency', value: numberOr(p.latencyHours), unit: 'h' }] : []),
    ...(p.availabilityPercent.trim() ? [{ property: 'availability', value: numberOr(p.availabilityPercent), unit: 'percent' }] : []),
  ];
  return compact({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: contractIdOf(c, p),
    name: `${c.id}-${p.name}`,
    version: p.version,
    status: c.status,
    domain: c.domain,
    description: compact({ purpose: p.description }),
    schema: [
      compact({
        name: p.table || p.name,
        physicalName: p.table,
        physicalType: 'table',
        properties: p.columns.map((col) =>
          compact({
            name: col.name,
            logicalType: col.logicalType,
            physicalType: col.physicalType,
            required: col.required || undefined,
            primaryKey: col.primaryKey || undefined,
            classification: col.classification,
            description: col.description,
          }),
        ),
      }),
    ],
    slaProperties: sla,
  });
}

/** The canvas as the files `applyContracts` takes: the product first, then one contract per output port. */
export function canvasToFiles(c: Canvas): ContractFile[] {
  return [{ path: productFile(c), content: stringify(toProductDocument(c)) }, ...c.outputPorts.map((p, i) => ({ path: contractFile(c, p, i), content: stringify(toContractDocument(c, p)) }))];
}

/** Everything in one YAML stream (the download). */
export function canvasToYaml(c: Canvas): string {
  return canvasToFiles(c)
    .map((f) => `# ${f.path}\n${f.content}`)
    .join('---\n');
}

export interface Issue {
  file: string;
  path: string;
  message: string;
}

/**
 * Where an issue belongs on the canvas: `product:<path>` or `port<i>:<path>` (the path inside that
 * port's contract). A policy violation names a contract as `contractId#path`, in the product's file.
 */
export function issueKey(c: Canvas, issue: Issue): string {
  const hash = issue.path.indexOf('#');
  if (hash >= 0) {
    const contractId = issue.path.slice(0, hash);
    const i = c.outputPorts.findIndex((p) => contractIdOf(c, p) === contractId);
    if (i >= 0) return `port${i}:${issue.path.slice(hash + 1)}`;
  }
  const i = c.outputPorts.findIndex((p, n) => contractFile(c, p, n) === issue.file);
  if (i >= 0) return `port${i}:${issue.path}`;
  return `product:${issue.path}`;
}

/** Messages for one field: issues at its key or inside it (`outputPorts[0]` holds `outputPorts[0].version`). */
export function messagesAt(c: Canvas, issues: readonly Issue[], key: string): string[] {
  return issues
    .filter((issue) => {
      const k = issueKey(c, issue);
      return k === key || k.startsWith(`${key}.`) || k.startsWith(`${key}[`);
    })
    .map((issue) => issue.message);
}

/** The keys the canvas shows a field for; an issue at none of them is listed at the top with its path. */
export function fieldKeys(c: Canvas): string[] {
  const product = ['id', 'name', 'domain', 'version', 'status', 'description.purpose', 'description.usage', 'description.limitations', 'tags', 'team.name', 'team.members', 'support'];
  const keys = product.map((k) => `product:${k}`);
  c.inputPorts.forEach((_, i) => keys.push(`product:inputPorts[${i}]`));
  c.outputPorts.forEach((p, i) => {
    keys.push(`product:outputPorts[${i}]`, `port${i}:version`, `port${i}:schema[0].physicalName`, `port${i}:schema`, `port${i}:slaProperties`);
    p.columns.forEach((_, j) => keys.push(`port${i}:schema[0].properties[${j}]`));
  });
  return keys;
}

/** Issues no field shows: the canvas lists them above the blocks. */
export function unplacedIssues(c: Canvas, issues: readonly Issue[]): Issue[] {
  const keys = fieldKeys(c);
  return issues.filter((issue) => {
    const k = issueKey(c, issue);
    return !keys.some((key) => k === key || k.startsWith(`${key}.`) || k.startsWith(`${key}[`));
  });
}

/** An existing product (the catalog's view of it) as a canvas to edit. */
export interface ProductView {
  id: string;
  name: string;
  domain: string;
  version?: string | null;
  status: string;
  tags: string[];
  description: { purpose?: string | null; usage?: string | null; limitations?: string | null };
  team?: { name?: string | null; members: { username: string; role?: string | null }[] } | null;
  support: { channel: string; url?: string | null }[];
  inputPorts: { name: string; contractId?: string | null; version?: string | null }[];
  /** The ODPS document as applied. */
  spec?: Record<string, unknown> | null;
  outputPorts: {
    name: string;
    version?: string | null;
    containsPii?: boolean | null;
    autoApprove?: boolean | null;
    contract?: {
      /** The ODCS document as applied. */
      spec?: Record<string, unknown> | null;
      schema: {
        name: string;
        physicalName?: string | null;
        properties: { name: string; logicalType?: string | null; physicalType?: string | null; classification?: string | null; required?: boolean | null; description?: string | null }[];
      }[];
      slaProperties: { property: string; value: unknown; unit?: string | null }[];
    } | null;
  }[];
}

/**
 * An existing product as a canvas to edit. With the stored documents (`spec`), each remembers what
 * the canvas generated from it, so an apply writes only the edits onto them.
 */
export function productToCanvas(p: ProductView): Canvas {
  const c = viewToCanvas(p);
  const ports = c.outputPorts.map((port, i) => {
    const stored = p.outputPorts[i].contract?.spec;
    return stored ? { ...port, origin: { stored, generated: generateContract(c, port) } } : port;
  });
  return { ...c, outputPorts: ports, ...(p.spec ? { origin: { stored: p.spec, generated: generateProduct(c) } } : {}) };
}

function viewToCanvas(p: ProductView): Canvas {
  const owner = p.team?.members.find((m) => m.role === 'owner')?.username ?? '';
  return {
    id: p.id,
    name: p.name,
    domain: p.domain,
    version: p.version ?? '1.0.0',
    status: p.status,
    purpose: p.description.purpose ?? '',
    usage: p.description.usage ?? '',
    limitations: p.description.limitations ?? '',
    tags: p.tags,
    teamName: p.team?.name ?? '',
    owner,
    supportChannel: p.support[0]?.channel ?? '',
    supportUrl: p.support[0]?.url ?? '',
    inputPorts: p.inputPorts.map((i) => ({ name: i.name, contractId: i.contractId ?? '', version: i.version ?? '' })),
    outputPorts: p.outputPorts.map((o) => {
      const object = o.contract?.schema[0];
      const sla = (name: string) => scalarText(o.contract?.slaProperties.find((s) => s.property === name)?.value);
      return {
        ...emptyOutputPort(),
        name: o.name,
        version: o.version ?? '1.0.0',
        containsPii: o.containsPii ?? false,
        autoApprove: o.autoApprove ?? false,
        table: object?.physicalName ?? object?.name ?? '',
        columns: (object?.properties ?? []).map((x) => ({
          name: x.name,
          logicalType: x.logicalType ?? 'string',
          physicalType: x.physicalType ?? '',
          classification: x.classification ?? '',
          required: x.required ?? false,
          primaryKey: false,
          description: x.description ?? '',
        })),
        latencyHours: sla('latency'),
        availabilityPercent: sla('availability'),
      };
    }),
  };
}

/** An SLA value as the canvas's text field shows it: scalars as written, anything structured as JSON (never "[object Object]"). */
function scalarText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

// --- Carrying stored documents through an edit (kept in this file: the service's tests import it
// under node16 module resolution, where a relative import between web files needs an extension Vite
// and Jest do not agree on).

/**
 * Carries a stored document through an edit on the design canvas: a three-way merge of what the
 * canvas generated when it was loaded (`before`), what it generates now (`after`) and the document
 * as applied (`stored`). Only what the edit changed (before → after) is written onto the stored
 * document; everything the canvas does not show (quality rules, extra SLA properties, custom
 * properties, team members, ODPS/ODCS fields it has no block for) round-trips untouched, and with no
 * edit the stored document comes back exactly. Pure JSON, no React.
 */

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Which element of a list is which: ports, columns and schema objects by name, custom and SLA
 * properties by property, members by username, support entries by channel, scalars by value.
 */
function keyOf(v: Json): string | null {
  if (isObject(v)) {
    for (const k of ['property', 'name', 'username', 'channel', 'id']) if (typeof v[k] === 'string') return `${k}=${v[k]}`;
    return null;
  }
  return `=${JSON.stringify(v)}`;
}

export function carryOver(stored: Json, before: Json, after: Json): Json {
  if (deepEqual(before, after)) return stored;
  if (isObject(stored) && isObject(before) && isObject(after)) return carryObject(stored, before, after);
  if (Array.isArray(stored) && Array.isArray(before) && Array.isArray(after)) return carryArray(stored, before, after);
  return after;
}

function carryObject(stored: Record<string, Json>, before: Record<string, Json>, after: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...stored };
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[k];
    const a = after[k];
    if (deepEqual(b, a)) continue; // unchanged by the edit: the stored value (or its absence) stays
    if (a === undefined)
      delete out[k]; // the edit emptied it
    else out[k] = b === undefined || !(k in stored) ? a : carryOver(stored[k], b, a);
  }
  return out;
}

/**
 * Lists: before and after are aligned by position when the edit kept their length (a rename stays
 * the same element), else by key (an element added or removed). Each stored element is matched to
 * the before element with its key; stored elements the canvas never generated stay where they are.
 */
function carryArray(stored: Json[], before: Json[], after: Json[]): Json[] {
  const toAfter = new Map<number, number>(); // before index → after index
  if (before.length === after.length) before.forEach((_, i) => toAfter.set(i, i));
  else {
    const used = new Set<number>();
    before.forEach((b, i) => {
      const j = after.findIndex((a, n) => !used.has(n) && keyOf(a) !== null && keyOf(a) === keyOf(b));
      if (j >= 0) {
        used.add(j);
        toAfter.set(i, j);
      }
    });
  }
  const matchedBefore = new Set<number>();
  const out: Json[] = [];
  for (const s of stored) {
    const i = before.findIndex((b, n) => !matchedBefore.has(n) && keyOf(b) !== null && keyOf(b) === keyOf(s));
    if (i < 0) {
      out.push(s); // not on the canvas: carried as is
      continue;
    }
    matchedBefore.add(i);
    const j = toAfter.get(i);
    if (j !== undefined) out.push(carryOver(s, before[i], after[j]));
    // else: the edit removed it
  }
  const placed = new Set([...matchedBefore].map((i) => toAfter.get(i)));
  after.forEach((a, j) => {
    if (placed.has(j)) return;
    // A generated element without a stored one (a default the document left out) is written only when the edit changed it.
    const i = [...toAfter.entries()].find(([, n]) => n === j)?.[0];
    if (i === undefined || !deepEqual(before[i], a)) out.push(a);
  });
  return out;
}
