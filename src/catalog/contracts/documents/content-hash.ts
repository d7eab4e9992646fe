import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of a canonical JSON rendering: object keys sorted, whitespace-free, `undefined`
 * members dropped as JSON does. Re-applying a document that only differs in key order, quoting or
 * comments therefore yields the same hash, which lets apply skip unchanged documents.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return render(value, new Set());
}

function render(value: unknown, stack: Set<object>): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return render(json.call(value), stack);
  if (stack.has(value)) throw new TypeError('contentHash: value contains a cycle');
  stack.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => render(v, stack)).join(',')}]`;
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${render((value as Record<string, unknown>)[k], stack)}`);
    return `{${entries.join(',')}}`;
  } finally {
    stack.delete(value);
  }
}
