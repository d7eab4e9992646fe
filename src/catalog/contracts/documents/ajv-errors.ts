import type { ErrorObject } from 'ajv';
import { describeType, formatPath, preview } from './apply-issue';

/** An ajv error reduced to what we report, plus what a later oneOf/anyOf collapse needs. */
interface Entry {
  /** Where the message points (a missing or unknown field points at the field itself). */
  pointer: string;
  /** ajv's instancePath, used to group branch errors. */
  origin: string;
  schemaPath: string;
  keyword: string;
  message: string | null;
  types: string[];
  missing: string[];
}

/**
 * Turns ajv errors into one clear message per path. ajv reports every failing branch of a
 * oneOf/anyOf ("must be object", "must have required property 'mustBe'", ... then "must match
 * exactly one schema"); we merge those into one message ("expected object or array", "must have
 * exactly one of mustBe, mustNotBe, ..."). Errors deeper than the union come from the branch whose
 * shape matched and are kept, since they are the real problem.
 */
export function explainAjvErrors(errors: readonly ErrorObject[], body: unknown): { path: string; message: string }[] {
  const entries: Entry[] = [];
  const failedIf = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if') {
      failedIf.add(error.instancePath);
      continue; // the failing `then` keywords are reported on their own
    }
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') collapse(entries, error, body);
    else entries.push(toEntry(error, body));
  }
  const out = new Map<string, { path: string; message: string }>();
  for (const e of entries) {
    if (e.message === null) continue;
    // A failed if/then leaves the then-branch's properties "unevaluated": noise, not a second problem.
    if (e.keyword === 'unevaluatedProperties' && failedIf.has(parentPointer(e.pointer))) continue;
    const path = pointerToPath(e.pointer, body);
    out.set(`${path}\u0000${e.message}`, { path, message: e.message });
  }
  return [...out.values()];
}

function collapse(entries: Entry[], error: ErrorObject, body: unknown): void {
  const at = error.instancePath;
  const merged: Entry = { pointer: at, origin: at, schemaPath: error.schemaPath, keyword: error.keyword, message: null, types: [], missing: [] };
  let deeper = false;
  // Branch errors immediately precede the union error and sit at its path or below.
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.origin !== at && !e.origin.startsWith(`${at}/`)) break;
    if (e.origin !== at) {
      if (e.message !== null) deeper = true;
      continue;
    }
    const isBranch = e.schemaPath.startsWith(`${error.schemaPath}/`) || ['type', 'oneOf', 'anyOf'].includes(e.keyword);
    if (isBranch) {
      // Walking backwards: prepend to keep the schema's branch order in the message.
      merged.types.unshift(...e.types);
      merged.missing.unshift(...e.missing);
      entries.splice(i, 1);
    }
  }
  merged.types = withoutRedundantInteger([...new Set(merged.types)]);
  merged.missing = [...new Set(merged.missing)];
  const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (Array.isArray(passing)) merged.message = 'must match exactly one of the allowed forms, but matches several';
  else if (deeper) merged.message = null; // the matching branch's own errors say what is wrong
  else if (merged.missing.length > 0 && merged.types.length === 0) {
    merged.message = `must have ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of ${merged.missing.join(', ')}`;
  } else if (merged.types.length > 0) {
    merged.message = `expected ${merged.types.join(' or ')}, got ${describeType(valueAt(body, at))}`;
  } else merged.message = 'does not match any of the allowed forms';
  entries.push(merged);
}

function toEntry(error: ErrorObject, body: unknown): Entry {
  const params = error.params as Record<string, unknown>;
  const base = { pointer: error.instancePath, origin: error.instancePath, schemaPath: error.schemaPath, keyword: error.keyword, types: [] as string[], missing: [] as string[] };
  const value = valueAt(body, error.instancePath);
  switch (error.keyword) {
    case 'required': {
      const prop = String(params.missingProperty);
      return { ...base, pointer: `${error.instancePath}/${escape(prop)}`, message: 'required', missing: [prop] };
    }
    case 'type': {
      const shown = withoutRedundantInteger(String(params.type).split(','));
      return { ...base, types: shown, message: `expected ${shown.join(' or ')}, got ${describeType(value)}` };
    }
    case 'enum':
      return {
        ...base,
        message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')} (got ${preview(value)})`,
      };
    case 'const':
      return { ...base, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const prop = String(params.additionalProperty ?? params.unevaluatedProperty);
      return { ...base, pointer: `${error.instancePath}/${escape(prop)}`, message: 'unknown field, not allowed here by the standard' };
    }
    case 'format':
      return { ...base, message: `must be a valid ${String(params.format)}` };
    default:
      return { ...base, message: error.message ?? error.keyword };
  }
}

/** "number or integer" reads as a typo: every integer is a number. */
function withoutRedundantInteger(types: string[]): string[] {
  return types.includes('number') ? types.filter((t) => t !== 'integer') : types;
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function segments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentPointer(pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
}

/** `/schema/0/properties/1` → `schema[0].properties[1]` (indices only where the value is an array). */
export function pointerToPath(pointer: string, body: unknown): string {
  const out: PropertyKey[] = [];
  let current: unknown = body;
  for (const seg of segments(pointer)) {
    const isIndex = Array.isArray(current) && /^\d+$/.test(seg);
    out.push(isIndex ? Number(seg) : seg);
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[seg] : undefined;
  }
  return formatPath(out);
}

function valueAt(body: unknown, pointer: string): unknown {
  let current: unknown = body;
  for (const seg of segments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[seg];
  }
  return current;
}
