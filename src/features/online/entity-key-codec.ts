import type { FeatureValueType, ResolvedColumn } from '../registry/resolved-feature-view';

/**
 * One canonical text per entity, shared by every store and every writer/reader: the join keys sorted
 * by name, `name=value` joined by `,`. Names are part of it so `customer_id=5` and `driver_id=5` never
 * collide; sorting makes views that list the same entities in another order share entries' slots.
 * Values are canonicalized by the key's logical type so `1001` (JSON) and `"1001"` (PostgreSQL text)
 * are the same integer key, and `%`, `,`, `=`, `{`, `}` are percent-escaped so the text can sit inside
 * a Redis Cluster hash tag unambiguously.
 */
export class InvalidKeyValueError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly type: FeatureValueType,
  ) {
    super(`join key ${key}: ${JSON.stringify(value) ?? String(value)} is not a valid ${type}`);
  }
}

const INTEGER = /^-?\d+$/;

/** Canonical text of one key value, or null when the value does not fit the type. */
export function canonicalKeyValue(type: FeatureValueType, v: unknown): string | null {
  switch (type) {
    case 'integer':
      if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : null;
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'string' && INTEGER.test(v.trim())) return BigInt(v.trim()).toString();
      return null;
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return String(Number(v));
      return null;
    case 'boolean':
      if (typeof v === 'boolean') return String(v);
      if (v === 't' || v === 'true') return 'true';
      if (v === 'f' || v === 'false') return 'false';
      return null;
    case 'timestamp': {
      // Epoch milliseconds: materialization selects timestamps that way, clients send ISO or epoch ms.
      const ms = typeof v === 'number' ? v : typeof v === 'string' ? (INTEGER.test(v) ? Number(v) : Date.parse(v)) : v instanceof Date ? v.getTime() : NaN;
      return Number.isFinite(ms) ? String(Math.trunc(ms)) : null;
    }
    default:
      if (typeof v === 'string') return v;
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      return null;
  }
}

function escapePart(text: string): string {
  return text.replace(/[%,={}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Builds entity key texts for one set of join keys; precomputed once per view. */
export class EntityKeyEncoder {
  private readonly order: number[];

  constructor(private readonly joinKeys: ResolvedColumn[]) {
    this.order = joinKeys.map((_, i) => i).sort((a, b) => (joinKeys[a].name < joinKeys[b].name ? -1 : joinKeys[a].name > joinKeys[b].name ? 1 : 0));
  }

  /** Throws InvalidKeyValueError naming the key when a value does not fit its type. */
  encode(values: unknown[]): string {
    let out = '';
    for (const i of this.order) {
      const k = this.joinKeys[i];
      const text = canonicalKeyValue(k.type, values[i]);
      if (text === null) throw new InvalidKeyValueError(k.name, values[i], k.type);
      out += `${out ? ',' : ''}${escapePart(k.name)}=${escapePart(text)}`;
    }
    return out;
  }
}
