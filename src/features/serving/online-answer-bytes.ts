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
const PRESENT = ascii('"PRESENT"');
const NOT_FOUND = ascii('"NOT_FOUND"');
const NULL_VALUE = ascii('"NULL_VALUE"');
const OUTSIDE_MAX_AGE = ascii('"OUTSIDE_MAX_AGE"');
const NULL = ascii('null');
const NOT_FOUND_STAMP = ascii(`"${NOT_FOUND_TS}"`);
const FIRST_COLUMN = ascii('{"values":');
const NEXT_COLUMN = ascii(',{"values":');
const OPEN_VALUES = ascii('[');
const STATUSES = ascii('],"statuses":[');
const STAMPS = ascii('],"event_timestamps":[');
const CLOSE_COLUMN = ascii(']}');
/** Longest quoted status, and longest quoted Feast timestamp (with milliseconds). */
const MAX_STATUS = OUTSIDE_MAX_AGE.length;
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
  out.set(headerOf(names), 0);
  let pos = headerOf(names).length;

  // Short pieces are copied by hand: a Buffer.write or copy per piece is a call into C++ each (hundreds per answer).
  const put = (bytes: Buffer): void => {
    for (let k = 0; k < bytes.length; k++) out[pos++] = bytes[k];
  };
  const putAscii = (text: string): void => {
    for (let k = 0; k < text.length; k++) out[pos++] = text.charCodeAt(k);
  };
  const repeated = (bytes: Buffer): void => {
    for (let i = 0; i < rows; i++) {
      if (i > 0) out[pos++] = COMMA;
      put(bytes);
    }
  };
  for (let k = 0; k < keyValues.length; k++) {
    put(k > 0 ? NEXT_COLUMN : FIRST_COLUMN);
    pos += out.write(keyValues[k], pos, 'utf8');
    pos += out.write(',"statuses":[', pos, 'latin1');
    repeated(PRESENT);
    put(STAMPS);
    repeated(NOT_FOUND_STAMP);
    put(CLOSE_COLUMN);
  }

  // Feature columns in answer order: column `out` is read v's j-th requested feature.
  const byColumn = new Array<[number, number]>(plan.featureNames.length);
  reads.forEach((read, v) => read.outputColumns.forEach((col, j) => (byColumn[col] = [v, j])));
  for (let col = 0; col < byColumn.length; col++) {
    const [v, j] = byColumn[col];
    const f = reads[v].featureIndexes[j];
    const tokens = starts[v].length / Math.max(rows, 1);
    const state = states[v];
    const s = starts[v];
    const e = ends[v];
    const buf = raw[v];
    put(keyValues.length + col > 0 ? NEXT_COLUMN : FIRST_COLUMN);
    put(OPEN_VALUES);
    // A cell's status: NOT_FOUND without an entry or without this feature (appended after the vector was written).
    const status = (i: number): Buffer => {
      if (state[i] === MISSING || s[i * tokens + f] < 0) return NOT_FOUND;
      if (state[i] === EXPIRED) return OUTSIDE_MAX_AGE;
      const from = s[i * tokens + f];
      return e[i * tokens + f] - from === 4 && buf[i]![from] === 0x6e ? NULL_VALUE : PRESENT; // 'null'
    };
    for (let i = 0; i < rows; i++) {
      if (i > 0) out[pos++] = COMMA;
      if (status(i) !== PRESENT) {
        put(NULL);
        continue;
      }
      const src = buf[i]!;
      for (let k = s[i * tokens + f], end = e[i * tokens + f]; k < end; k++) out[pos++] = src[k];
    }
    put(STATUSES);
    for (let i = 0; i < rows; i++) {
      if (i > 0) out[pos++] = COMMA;
      put(status(i));
    }
    put(STAMPS);
    for (let i = 0; i < rows; i++) {
      if (i > 0) out[pos++] = COMMA;
      const stamp = stamps[v][i];
      if (stamp === null || status(i) === NOT_FOUND) put(NOT_FOUND_STAMP);
      else putAscii(stamp);
    }
    put(CLOSE_COLUMN);
  }
  pos += out.write(']}', pos, 'latin1');
  return out.subarray(0, pos);
}
