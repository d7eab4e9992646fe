import { viewLayout } from '../online/view-layout';
import { feastTimestamp, NOT_FOUND_TS } from './online-feature-values';
import { featureNamesJson } from './online-features-encoder';
import type { RequestPlan } from './serving-plan';

const PIPE = 0x7c;
const COMMA = 0x2c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const ZERO = 0x30;
const NINE = 0x39;

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const NULL = ascii('null');
const FIRST_COLUMN = ascii('{"values":');
const NEXT_COLUMN = ascii(',{"values":');
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
/** First byte of `null`. */
const N = 0x6e;
/** Longest quoted status, and longest quoted Feast timestamp (with milliseconds). */
const MAX_STATUS = '"OUTSIDE_MAX_AGE"'.length;
const MAX_STAMP = '"+275760-09-13T00:00:00.000Z"'.length;

/** The last answer's opening bytes, up to its first column: clients send the same feature list again and again. */
let headerNames = '';
let header: Buffer | undefined;
function headerOf(names: string): Buffer {
  if (header === undefined || names !== headerNames) {
    header = Buffer.from(`{"metadata":{"feature_names":[${names}]},"results":[`, 'utf8');
    headerNames = names;
  }
  return header;
}

/** An entity's entry as the writer sees it: where its requested tokens are, and its state. */
const MISSING = 0;
const EXPIRED = 1;
const LIVE = 2;

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
  // Per read: per entity its state, stamp, and the start/end of each requested feature's token.
  const states: Uint8Array[] = [];
  const stamps: (string | null)[][] = [];
  const starts: Int32Array[] = [];
  const ends: Int32Array[] = [];
  let bound = 64;
  for (let v = 0; v < reads.length; v++) {
    const read = reads[v];
    const { prefixLength } = viewLayout(read.plan.view);
    const wanted = read.featureIndexes;
    let tokens = 0;
    for (const f of wanted) tokens = Math.max(tokens, f + 1);
    const state = new Uint8Array(rows);
    const stamp = new Array<string | null>(rows).fill(null);
    const s = new Int32Array(rows * tokens).fill(-1);
    const e = new Int32Array(rows * tokens);
    for (let i = 0; i < rows; i++) {
      const buf = raw[v][i];
      if (buf === null) continue;
      const a = buf.indexOf(PIPE);
      const b = a < 0 ? -1 : buf.indexOf(PIPE, a + 1);
      const c = b < 0 ? -1 : buf.indexOf(PIPE, b + 1);
      if (c < 0 || !prefixLength.has(buf.toString('latin1', b + 1, c))) continue; // not this view's data (decodeEntry's rule)
      let eventMs = 0;
      for (let k = 0; k < a; k++) eventMs = eventMs * 10 + (buf[k] - ZERO);
      if (a === 0 || buf[0] < ZERO || buf[0] > NINE) continue;
      // Tokens of the vector `[t0,t1,…]`, up to the last one requested; a string, object or array there: not plain.
      let at = c + 2;
      const last = buf.length - 1;
      if (buf[c + 1] !== OPEN_BRACKET) return null;
      for (let t = 0; t < tokens && at < last; t++) {
        const from = at;
        while (at < last) {
          const ch = buf[at];
          if (ch === COMMA) break;
          if (ch === QUOTE || ch === OPEN_BRACE || ch === OPEN_BRACKET) return null;
          at++;
        }
        s[i * tokens + t] = from;
        e[i * tokens + t] = at;
        bound += at - from;
        at++;
      }
      state[i] = read.plan.ttlMs > 0 && eventMs < nowMs - read.plan.ttlMs ? EXPIRED : LIVE;
      stamp[i] = `"${feastTimestamp(new Date(eventMs))}"`;
    }
    states.push(state);
    stamps.push(stamp);
    starts.push(s);
    ends.push(e);
  }

  const names = featureNamesJson(Object.keys(entities).concat(plan.featureNames));
  const keyValues = Object.keys(entities).map((k) => JSON.stringify(entities[k]));
  const columns = plan.featureNames.length + keyValues.length;
  bound += names.length * 3 + keyValues.reduce((n, k) => n + k.length * 3, 0) + columns * (48 + rows * (NULL.length + MAX_STATUS + MAX_STAMP + 3));
  const out = Buffer.allocUnsafe(bound);
  const header = headerOf(names);
  out.set(header, 0);
  let pos = header.length;

  // Copies go through TypedArray#set, a V8 builtin: a Buffer.write or copy per piece is a call into C++
  // each, and a byte loop costs per byte. So each column is a few large pieces: what every column of a
  // view shares (its statuses and timestamps, when each cell has its entity's status) is built once.
  const keyTail = ascii(`],"statuses":[${new Array(rows).fill('"PRESENT"').join(',')}],"event_timestamps":[${new Array(rows).fill(`"${NOT_FOUND_TS}"`).join(',')}]}`);
  for (let k = 0; k < keyValues.length; k++) {
    const head = k > 0 ? NEXT_COLUMN : FIRST_COLUMN;
    out.set(head, pos);
    pos += head.length;
    // The values' JSON without its closing bracket: the tail starts with it.
    pos += out.write(keyValues[k].slice(0, -1), pos, 'utf8');
    out.set(keyTail, pos);
    pos += keyTail.length;
  }
  const tails = reads.map((_, v) => sharedTail(rows, states[v], stamps[v]));

  // Feature columns in answer order: column `col` is read v's j-th requested feature.
  const readOf = new Int32Array(plan.featureNames.length);
  const featureOf = new Int32Array(plan.featureNames.length);
  reads.forEach((read, v) =>
    read.outputColumns.forEach((col, j) => {
      readOf[col] = v;
      featureOf[col] = read.featureIndexes[j];
    }),
  );
  for (let col = 0; col < readOf.length; col++) {
    const v = readOf[col];
    const f = featureOf[col];
    const tokens = rows === 0 ? 0 : starts[v].length / rows;
    const state = states[v];
    const s = starts[v];
    const e = ends[v];
    const buf = raw[v];
    const head = keyValues.length + col > 0 ? NEXT_COLUMN : FIRST_COLUMN;
    out.set(head, pos);
    pos += head.length;
    out[pos++] = OPEN_BRACKET;
    // Cells whose status is not their entity's (a stored null, a feature the vector lacks) need a tail of their own.
    let shared = true;
    for (let i = 0; i < rows; i++) {
      if (i > 0) out[pos++] = COMMA;
      const from = s[i * tokens + f];
      const live = state[i] === LIVE && from >= 0;
      const isNull = live && e[i * tokens + f] - from === 4 && buf[i]![from] === N;
      if (state[i] !== MISSING && (from < 0 || isNull)) shared = false;
      if (!live || isNull) {
        out.set(NULL, pos);
        pos += NULL.length;
        continue;
      }
      const src = buf[i]!;
      for (let k = from, end = e[i * tokens + f]; k < end; k++) out[pos++] = src[k];
    }
    if (shared) {
      out.set(tails[v], pos);
      pos += tails[v].length;
    } else {
      pos = ownTail(out, pos, rows, f, tokens, state, s, e, buf, stamps[v]);
    }
  }
  out[pos++] = CLOSE_BRACKET;
  out[pos++] = CLOSE_BRACE;
  return out.subarray(0, pos);
}

/** The entity's own status and stamp, as every column of its view has them unless the cell says otherwise. */
function entityStatus(state: number): string {
  return state === MISSING ? '"NOT_FOUND"' : state === EXPIRED ? '"OUTSIDE_MAX_AGE"' : '"PRESENT"';
}

/** `],"statuses":[…],"event_timestamps":[…]}` of a column whose every cell has its entity's status. */
function sharedTail(rows: number, state: Uint8Array, stamps: (string | null)[]): Buffer {
  let text = '],"statuses":[';
  for (let i = 0; i < rows; i++) text += (i > 0 ? ',' : '') + entityStatus(state[i]);
  text += '],"event_timestamps":[';
  for (let i = 0; i < rows; i++) text += (i > 0 ? ',' : '') + (state[i] === MISSING ? `"${NOT_FOUND_TS}"` : stamps[i]);
  return ascii(`${text}]}`);
}

/** The tail of a column with a stored null or a missing feature among its cells, cell by cell. */
function ownTail(out: Buffer, at: number, rows: number, f: number, tokens: number, state: Uint8Array, s: Int32Array, e: Int32Array, buf: (Buffer | null)[], stamps: (string | null)[]): number {
  let text = '],"statuses":[';
  const cellStamps: string[] = [];
  for (let i = 0; i < rows; i++) {
    const from = s[i * tokens + f];
    let status: string;
    if (state[i] === MISSING || from < 0) status = '"NOT_FOUND"';
    else if (state[i] === EXPIRED) status = '"OUTSIDE_MAX_AGE"';
    else status = e[i * tokens + f] - from === 4 && buf[i]![from] === N ? '"NULL_VALUE"' : '"PRESENT"';
    text += (i > 0 ? ',' : '') + status;
    cellStamps.push(status === '"NOT_FOUND"' ? `"${NOT_FOUND_TS}"` : stamps[i]!);
  }
  text += `],"event_timestamps":[${cellStamps.join(',')}]}`;
  return at + out.write(text, at, 'latin1');
}
