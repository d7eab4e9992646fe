import { Bool, DataType, Field, Float64, Int64, List, makeData, RecordBatch, Schema, Struct, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';
import type { KeyProfile, StoredPredictionLogEntry } from './prediction-log.repository';

type Kind = 'int' | 'float' | 'bool' | 'string' | 'floatList' | 'json';

interface Column {
  name: string;
  kind: Kind;
  read: (e: StoredPredictionLogEntry) => unknown;
}

const PREFIX: Record<KeyProfile['part'], string> = { entity: 'entity.', features: 'feature.', statuses: 'status.', outputs: 'output.' };

/**
 * The Arrow layout of an export: fixed columns (request_id, model, version, role, at, latency_ms,
 * rejected), then one column per entity key, feature, feature status and output, named
 * `entity.<key>`, `feature.<ref>`, `status.<ref>`, `output.<name>`. Types come from the values
 * stored for the exported rows: integers under entity keys → Int64, other numbers → Float64,
 * booleans → Bool, strings → Utf8, arrays of numbers (an output of shape [N, k]) → List<Float64>,
 * anything mixed → Utf8 holding JSON.
 */
export class PredictionLogArrowLayout {
  readonly schema: Schema;
  private readonly columns: Column[];

  constructor(profile: readonly KeyProfile[]) {
    const fixed: Column[] = [
      { name: 'request_id', kind: 'string', read: (e) => e.requestId },
      { name: 'model', kind: 'string', read: (e) => e.model },
      { name: 'version', kind: 'string', read: (e) => e.version },
      { name: 'role', kind: 'string', read: (e) => e.role },
      { name: 'at', kind: 'int', read: (e) => e.at }, // typed as a timestamp below
      { name: 'latency_ms', kind: 'float', read: (e) => e.latencyMs },
      { name: 'rejected', kind: 'string', read: (e) => e.rejected ?? null },
    ];
    const dynamic = profile.map((p): Column => ({ name: PREFIX[p.part] + p.key, kind: kindOf(p), read: (e) => (e[p.part] as Record<string, unknown>)[p.key] ?? null }));
    this.columns = [...fixed, ...dynamic];
    this.schema = new Schema(this.columns.map((c) => new Field(c.name, c.name === 'at' ? new TimestampMicrosecond('UTC') : typeOf(c.kind), c.name !== 'at' && c.name !== 'request_id')));
  }

  batch(rows: readonly StoredPredictionLogEntry[]): RecordBatch {
    const children = this.columns.map((c, i) => {
      const type = this.schema.fields[i].type as DataType;
      if (c.name === 'at') {
        const micros = BigInt64Array.from(rows, (r) => BigInt(r.at.getTime()) * 1000n);
        return makeData({ type: new TimestampMicrosecond('UTC'), length: rows.length, nullCount: 0, data: micros });
      }
      return vectorFromArray(
        rows.map((r) => convert(c.kind, c.read(r))),
        type as never,
      ).data[0];
    });
    const struct = makeData({ type: new Struct(this.schema.fields), length: rows.length, nullCount: 0, children });
    return new RecordBatch(this.schema, struct);
  }
}

function kindOf(p: KeyProfile): Kind {
  const t = new Set(p.types);
  if (t.size === 0) return 'string';
  if (t.size === 1) {
    if (t.has('number')) return p.part === 'entity' && p.integral ? 'int' : 'float';
    if (t.has('string')) return 'string';
    if (t.has('boolean')) return 'bool';
    if (t.has('array') && p.numericArrays) return 'floatList';
  }
  return 'json';
}

function typeOf(kind: Kind): DataType {
  switch (kind) {
    case 'int':
      return new Int64();
    case 'float':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'floatList':
      return new List(new Field('item', new Float64(), true));
    default:
      return new Utf8();
  }
}

function convert(kind: Kind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int':
      return BigInt(v as number);
    case 'float':
      return Number(v);
    case 'bool':
      return typeof v === 'boolean' ? v : null;
    case 'floatList':
      return Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : null)) : null;
    default:
      // string and json: a value of another type (not possible for the profiled rows) is kept as JSON text
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}
