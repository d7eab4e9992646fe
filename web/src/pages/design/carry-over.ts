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
    for (const k of ['property', 'name', 'username', 'channel', 'id']) if (typeof v[k] === 'string') return `${k}=${v[k] as string}`;
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
