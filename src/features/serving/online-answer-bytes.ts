import { viewLayout } from '../online/view-layout';
import { feastTimestamp, NOT_FOUND_TS } from './online-feature-values';
import { featureNamesJson } from './online-features-encoder';
import type { RequestPlan } from './serving-plan';

const PIPE = 0x7c;
const COMMA = 0x2c;
/** Plain tokens are [-+.0-9eE] and the letters of null/true/false: bytes from '+' to 'u', never '[' (a quote or brace is outside). */
const PLAIN_LOW = 0x2b;
const PLAIN_HIGH = 0x75;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** First byte of `null`. */
const N = 0x6e;

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const NULL = ascii('null');
const FIRST_COLUMN = ascii('{"values":');
const NEXT_COLUMN = ascii(',{"values":');
/** Longest quoted status, and longest quoted Feast timestamp (with milliseconds). */
const MAX_STATUS = '"OUTSIDE_MAX_AGE"'.length;
const MAX_STAMP = '"+275760-09-13T00:00:00.000Z"'.length;

/** An entity's entry as the writer sees it. */
const MISSING = 0;
const EXPIRED = 1;
const LIVE = 2;

/** An answer's opening bytes, up to its first column, for the join key columns it was last asked with. */
interface Header {
  keys: string[];
  bytes: Buffer;
}

function headerOf(plan: RequestPlan, c: PlanColumns, keys: string[]): Buffer {
  const last = c.header;
  if (last && last.keys.length === keys.length && last.keys.every((k, i) => k === keys[i])) return last.bytes;
  const names = featureNamesJson(keys.concat(plan.featureNames));
  c.header = { keys, bytes: Buffer.from(`{"metadata":{"feature_names":[${names}]},"results":[`, 'utf8') };
  return c.header.bytes;
}

/**
 * Scratch space of the writer, reused across answers (it is synchronous): a typed array costs an
 * ArrayBuffer each (a malloc and external-memory bookkeeping, ~1 µs), more than a 1 × 50 answer's
 * copying. Grown by doubling, never shrunk (bounded by the largest request, 10,000 rows).
 */
let tokenScratch = new Int32Array(4096);
let stateScratch = new Uint8Array(256);

/**
 * Answers are written into slices of a shared slab, as Node's own Buffer pool does for small buffers:
 * one ArrayBuffer per 256 KB of answers instead of one per answer. A slab stays alive while an answer
 * written into it is (until its socket write completes). Answers that may exceed a quarter of it get
 * a buffer of their own.
 */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

/** Where an answer of at most `bound` bytes is written: a buffer and the offset it starts at. */
function reserve(bound: number): [Buffer, number] {
  if (bound > SLAB_BYTES / 4) return [Buffer.allocUnsafe(bound), 0];
  if (slabUsed + bound > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  return [slab, slabUsed];
}

/** Plan-derived lookups, once per plan: answer column -> (read, stored feature index), and the answer's header. */
interface PlanColumns {
  readOf: number[];
  featureOf: number[];
  tokens: number[];
  header?: Header;
}
const columnsOf = new WeakMap<RequestPlan, PlanColumns>();
function columns(plan: RequestPlan): PlanColumns {
  let c = columnsOf.get(plan);
  if (!c) {
    const readOf = new Array<number>(plan.featureNames.length).fill(0);
    const featureOf = new Array<number>(plan.featureNames.length).fill(0);
    plan.reads.forEach((read, v) =>
      read.outputColumns.forEach((col, j) => {
        readOf[col] = v;
        featureOf[col] = read.featureIndexes[j];
      }),
    );
    // Tokens to find per entity of each read: up to its last requested feature.
    const tokens = plan.reads.map((read) => read.featureIndexes.reduce((m, f) => Math.max(m, f + 1), 0));
    columnsOf.set(plan, (c = { readOf, featureOf, tokens }));
  }
  return c;
}

/**
 * Feast's online answer written straight from the stored bytes (issue 16): the JSON text of
 * `getOnlineFeatures(…)`'s object, byte for byte, for a request whose values need no masking. Stored
 * numbers are copied out of Redis' reply as the text they were stored as; nothing is decoded into
 * strings, arrays or objects per cell, and no JS string of the answer is built (a 100 × 50 answer is
 * 210 KB). Answers null when a requested token is not a plain number, boolean or null (a string or
 * tagged value: the caller takes the object path, which decodes them).
 *
 * `raw[v][i]`: the stored value of read v's entity i (`eventMs|createdMs|layoutId|[vector]`), or null.
 */
export function writeOnlineAnswer(plan: RequestPlan, entities: Record<string, unknown[]>, rows: number, raw: (Buffer | null)[][], nowMs: number): Buffer | null {
  const reads = plan.reads;
  const planColumns = columns(plan);
  const { readOf, featureOf, tokens } = planColumns;
  // Scratch layout: per read v, at tokenAt[v], rows × tokens[v] token starts then as many ends; states at stateAt[v].
  const tokenAt = new Array<number>(reads.length);
  const stateAt = new Array<number>(reads.length);
  let tokenNeed = 0;
  for (let v = 0; v < reads.length; v++) {
    tokenAt[v] = tokenNeed;
    stateAt[v] = v * rows;
    tokenNeed += 2 * rows * tokens[v];
  }
  if (tokenScratch.length < tokenNeed) tokenScratch = new Int32Array(Math.max(tokenNeed, tokenScratch.length * 2));
  if (stateScratch.length < reads.length * rows) stateScratch = new Uint8Array(Math.max(reads.length * rows, stateScratch.length * 2));
  const tok = tokenScratch;
  const state = stateScratch;
  const stamps: (string | null)[][] = [];
  let bound = 64;

  for (let v = 0; v < reads.length; v++) {
    const read = reads[v];
    const layout = viewLayout(read.plan.view);
    const current = layout.layoutId;
    const t = tokens[v];
    const base = tokenAt[v];
    const ttlMs = read.plan.ttlMs;
    const stamp = new Array<string | null>(rows).fill(null);
    for (let i = 0; i < rows; i++) {
      state[stateAt[v] + i] = MISSING;
      const buf = raw[v][i];
      if (buf === null) continue;
      // `eventMs|createdMs|layoutId|[` read in JS: a few dozen bytes, cheaper than calls into C++.
      const len = buf.length;
      const negative = buf[0] === MINUS; // an event before 1970
      let at = negative ? 1 : 0;
      let eventMs = 0;
      let digits = at < len && buf[at] !== PIPE;
      for (; at < len && buf[at] !== PIPE; at++) {
        const ch = buf[at];
        if (ch < ZERO || ch > NINE) digits = false;
        eventMs = eventMs * 10 + (ch - ZERO);
      }
      if (!digits) continue;
      if (negative) eventMs = -eventMs;
      for (at++; at < len && buf[at] !== PIPE; at++);
      const idFrom = at + 1;
      for (at++; at < len && buf[at] !== PIPE; at++);
      if (at >= len) continue;
      // Not this view's data unless written with its layout or a prefix of it (decodeEntry's rule).
      if (!sameAscii(buf, idFrom, at, current) && !layout.prefixLength.has(buf.toString('latin1', idFrom, at))) continue;
      at++;
      if (buf[at] !== OPEN_BRACKET) return null;
      at++;
      const last = len - 1;
      // Token boundaries up to the last requested one: a string or tagged value there is not plain.
      const startsAt = base + i * t;
      const endsAt = base + rows * t + i * t;
      for (let k = 0; k < t; k++) tok[startsAt + k] = -1;
      for (let k = 0; k < t && at < last; k++) {
        const from = at;
        for (; at < last; at++) {
          const ch = buf[at];
          if (ch === COMMA) break;
          if (ch < PLAIN_LOW || ch > PLAIN_HIGH || ch === OPEN_BRACKET) return null;
        }
        tok[startsAt + k] = from;
        tok[endsAt + k] = at;
        bound += at - from;
        at++;
      }
      state[stateAt[v] + i] = ttlMs > 0 && eventMs < nowMs - ttlMs ? EXPIRED : LIVE;
      stamp[i] = `"${feastTimestamp(new Date(eventMs))}"`;
    }
    stamps.push(stamp);
  }

  const keys = Object.keys(entities);
  const head = headerOf(plan, planColumns, keys);
  const keyValues = keys.map((k) => JSON.stringify(entities[k]));
  const columnCount = plan.featureNames.length + keyValues.length;
  bound += head.length + keyValues.reduce((n, k) => n + k.length * 3, 0) + columnCount * (64 + rows * (NULL.length + MAX_STATUS + MAX_STAMP + 3));
  const [out, start] = reserve(bound);
  out.set(head, start);
  let pos = start + head.length;

  // Each column is a few large pieces, copied by TypedArray#set or copyWithin (builtins, no call into
  // C++): a column whose cells all have their entity's status shares its statuses and timestamps with
  // every other such column of its view, written once and copied within the answer afterwards.
  let keyTailFrom = -1;
  let keyTailTo = -1;
  for (let k = 0; k < keyValues.length; k++) {
    const piece = k > 0 ? NEXT_COLUMN : FIRST_COLUMN;
    out.set(piece, pos);
    pos += piece.length;
    // The values' JSON without its closing bracket: the tail starts with it.
    pos += out.write(keyValues[k].slice(0, -1), pos, 'utf8');
    if (keyTailFrom < 0) {
      keyTailFrom = pos;
      pos += out.write(keyTail(rows), pos, 'latin1');
      keyTailTo = pos;
    } else {
      out.copyWithin(pos, keyTailFrom, keyTailTo);
      pos += keyTailTo - keyTailFrom;
    }
  }
  const tailFrom = new Array<number>(reads.length).fill(-1);
  const tailTo = new Array<number>(reads.length).fill(-1);

  for (let col = 0; col < readOf.length; col++) {
    const v = readOf[col];
    const f = featureOf[col];
    const t = tokens[v];
    const starts = tokenAt[v];
    const ends = tokenAt[v] + rows * t;
    const states = stateAt[v];
    const buf = raw[v];
    const piece = keyValues.length + col > 0 ? NEXT_COLUMN : FIRST_COLUMN;
    out.set(piece, pos);
    pos += piece.length;
    out[pos++] = OPEN_BRACKET;
    // Cells whose status is not their entity's (a stored null, a feature the vector lacks) need a tail of their own.
    let shared = true;
    for (let i = 0; i < rows; i++) {
      if (i > 0) out[pos++] = COMMA;
      const s = state[states + i];
      const from = s === MISSING ? -1 : tok[starts + i * t + f];
      const to = from < 0 ? -1 : tok[ends + i * t + f];
      const isNull = from >= 0 && to - from === 4 && buf[i]![from] === N;
      if (s !== MISSING && (from < 0 || (isNull && s === LIVE))) shared = false;
      if (s !== LIVE || from < 0 || isNull) {
        out.set(NULL, pos);
        pos += NULL.length;
        continue;
      }
      const src = buf[i]!;
      for (let k = from; k < to; k++) out[pos++] = src[k];
    }
    if (!shared) {
      pos += out.write(ownTail(rows, f, t, state, states, tok, starts, ends, buf, stamps[v]), pos, 'latin1');
    } else if (tailFrom[v] < 0) {
      tailFrom[v] = pos;
      pos += out.write(sharedTail(rows, state, states, stamps[v]), pos, 'latin1');
      tailTo[v] = pos;
    } else {
      out.copyWithin(pos, tailFrom[v], tailTo[v]);
      pos += tailTo[v] - tailFrom[v];
    }
  }
  out[pos++] = CLOSE_BRACKET;
  out[pos++] = CLOSE_BRACE;
  if (out === slab) slabUsed = (pos + 7) & ~7;
  return out.subarray(start, pos);
}

/** Whether bytes [from, to) of `buf` are the ASCII string `s`. */
function sameAscii(buf: Buffer, from: number, to: number, s: string): boolean {
  if (to - from !== s.length) return false;
  for (let k = 0; k < s.length; k++) if (buf[from + k] !== s.charCodeAt(k)) return false;
  return true;
}

/** The tail of every join key column: each cell PRESENT, without a timestamp. */
function keyTail(rows: number): string {
  return `],"statuses":[${new Array(rows).fill('"PRESENT"').join(',')}],"event_timestamps":[${new Array(rows).fill(`"${NOT_FOUND_TS}"`).join(',')}]}`;
}

/** `],"statuses":[…],"event_timestamps":[…]}` of a column whose every cell has its entity's status. */
function sharedTail(rows: number, state: Uint8Array, states: number, stamps: (string | null)[]): string {
  let text = '],"statuses":[';
  for (let i = 0; i < rows; i++) {
    const s = state[states + i];
    text += (i > 0 ? ',' : '') + (s === MISSING ? '"NOT_FOUND"' : s === EXPIRED ? '"OUTSIDE_MAX_AGE"' : '"PRESENT"');
  }
  text += '],"event_timestamps":[';
  for (let i = 0; i < rows; i++) text += (i > 0 ? ',' : '') + (state[states + i] === MISSING ? `"${NOT_FOUND_TS}"` : stamps[i]);
  return `${text}]}`;
}

/** The tail of a column with a stored null or a missing feature among its cells, cell by cell. */
function ownTail(rows: number, f: number, t: number, state: Uint8Array, states: number, tok: Int32Array, starts: number, ends: number, buf: (Buffer | null)[], stamps: (string | null)[]): string {
  let text = '],"statuses":[';
  const cellStamps: string[] = [];
  for (let i = 0; i < rows; i++) {
    const s = state[states + i];
    const from = s === MISSING ? -1 : tok[starts + i * t + f];
    let status: string;
    if (from < 0) status = '"NOT_FOUND"';
    else if (s === EXPIRED) status = '"OUTSIDE_MAX_AGE"';
    else status = tok[ends + i * t + f] - from === 4 && buf[i]![from] === N ? '"NULL_VALUE"' : '"PRESENT"';
    text += (i > 0 ? ',' : '') + status;
    cellStamps.push(status === '"NOT_FOUND"' ? `"${NOT_FOUND_TS}"` : stamps[i]!);
  }
  return `${text}],"event_timestamps":[${cellStamps.join(',')}]}`;
}
