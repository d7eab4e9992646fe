/**
 * Feature values are stored as one JSON array per entity (the packed vector, see ADR 0005). JSON has
 * no timestamps, big integers or non-finite floats, so those travel as one-key tagged objects; plain
 * objects and arrays are wrapped too, so a stored object can never be mistaken for a tag:
 *   Date -> {"t": epochMs}   bigint -> {"b": "123"}   NaN/±Infinity/-0 -> {"f": "NaN"}   object/array -> {"j": value}
 * Everything else (null, booleans, finite numbers, strings) is stored as itself, so the common case
 * costs nothing beyond JSON.
 */
export function encodeValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { f: String(Object.is(v, -0) ? '-0' : v) };
    case 'bigint':
      return { b: v.toString() };
    case 'object':
      if (v instanceof Date) {
        const ms = v.getTime();
        return Number.isNaN(ms) ? null : { t: ms };
      }
      return { j: v };
    default:
      throw new TypeError(`cannot store a ${typeof v} as a feature value`);
  }
}

export function decodeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const tagged = v as { t?: number; b?: string; f?: string; j?: unknown };
  if (tagged.t !== undefined) return new Date(tagged.t);
  if (tagged.b !== undefined) return BigInt(tagged.b);
  if (tagged.f !== undefined) return tagged.f === '-0' ? -0 : Number(tagged.f);
  return tagged.j;
}

/** The JSON text of a whole vector. */
export function encodeVector(values: unknown[]): string {
  return JSON.stringify(values.map(encodeValue));
}

/**
 * The requested elements of a stored vector. An index past the stored length is `undefined`: the
 * feature was appended to the view after the vector was written.
 */
export function pickValues(stored: unknown[], featureIndexes: number[]): unknown[] {
  const out = new Array<unknown>(featureIndexes.length);
  for (let i = 0; i < featureIndexes.length; i++) {
    const f = featureIndexes[i];
    out[i] = f < stored.length ? decodeValue(stored[f]) : undefined;
  }
  return out;
}

/**
 * A number kept as the JSON text it was stored as (written by JSON.stringify, so canonical: parsing
 * and printing it again gives the same text). Formatting doubles is most of the cost of writing an
 * online answer; an answer that only copies stored numbers out need not parse nor format them.
 * JSON.stringify prints it as the number (toJSON), so it is never written as an object.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** A vector of plain numbers, nulls and booleans only: no string, no tagged object, no nesting. */
const PLAIN_VECTOR = /^\[[-+0-9.eE,nulltrfas]*\]$/;

/**
 * pickValues of the stored vector text, numbers left as RawJson when the vector holds only plain
 * numbers, nulls and booleans (the common case); any other vector is parsed as pickValues does.
 */
export function pickRawValues(text: string, featureIndexes: number[]): unknown[] {
  if (!PLAIN_VECTOR.test(text)) return pickValues(JSON.parse(text) as unknown[], featureIndexes);
  const tokens = text.length === 2 ? [] : text.slice(1, -1).split(',');
  const out = new Array<unknown>(featureIndexes.length);
  for (let i = 0; i < featureIndexes.length; i++) {
    const f = featureIndexes[i];
    const t = f < tokens.length ? tokens[f] : undefined;
    out[i] = t === undefined ? undefined : t === 'null' ? null : t === 'true' ? true : t === 'false' ? false : new RawJson(t);
  }
  return out;
}
