import { RawJson } from '../online/online-value-codec';
import type { OnlineFeaturesResponse } from './serving-request';

/** Characters a Feast timestamp or status is made of: such a string needs no JSON escaping. */
const PLAIN = /^[0-9A-Za-z:._+-]*$/;
const quoted = (s: string): string => (PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));
/** The statuses quoted once (an answer has one per cell). */
const QUOTED_STATUS = new Map(['PRESENT', 'NOT_FOUND', 'NULL_VALUE', 'OUTSIDE_MAX_AGE'].map((s) => [s, `"${s}"`]));

/** The JSON of a feature name list, without its brackets. */
export function featureNamesJson(names: string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) out += (i > 0 ? ',' : '') + JSON.stringify(names[i]);
  return out;
}
/** A cell value as JSON: finite numbers (almost every feature) without a call into JSON.stringify. */
const cell = (v: unknown): string => (v instanceof RawJson ? v.text : typeof v === 'number' && Number.isFinite(v) ? `${v}` : (JSON.stringify(v) ?? 'null'));

/**
 * Up to this many entity rows, or whenever the values are stored JSON text (RawJson), the hand-written
 * encoder is the cheapest; above it, for parsed numbers, V8's JSON.stringify (CPU per answer in
 * docs/serving-profile.md).
 */
export const HAND_ENCODED_ROWS = 8;

/**
 * The answer's JSON text, byte for byte what JSON.stringify gives (a property test holds them
 * together). Stored numbers arrive as RawJson and are copied out as the text they were stored as:
 * formatting doubles was the largest single cost of an answer. A 1-entity answer is 51 objects of
 * three 1-element arrays: there generic serializers spend their time per object and per array.
 */
export function encodeOnlineFeatures(answer: OnlineFeaturesResponse): string {
  const results = answer.results;
  const last = results[results.length - 1];
  if ((last?.values.length ?? 0) > HAND_ENCODED_ROWS && !(last.values[0] instanceof RawJson)) return JSON.stringify(answer);
  let out = `{"metadata":{"feature_names":[${featureNamesJson(answer.metadata.feature_names)}]},"results":[`;
  // An entity's timestamp repeats in every column of its view: quoted once per answer.
  const stampJson = new Map<string, string>();
  for (let c = 0; c < results.length; c++) {
    const { values, statuses, event_timestamps: stamps } = results[c];
    out += c > 0 ? ',{"values":[' : '{"values":[';
    for (let i = 0; i < values.length; i++) out += (i > 0 ? ',' : '') + cell(values[i]);
    out += '],"statuses":[';
    for (let i = 0; i < statuses.length; i++) out += (i > 0 ? ',' : '') + (QUOTED_STATUS.get(statuses[i]) ?? quoted(statuses[i]));
    out += '],"event_timestamps":[';
    for (let i = 0; i < stamps.length; i++) {
      const stamp = stamps[i];
      let q = stampJson.get(stamp);
      if (q === undefined) stampJson.set(stamp, (q = quoted(stamp)));
      out += (i > 0 ? ',' : '') + q;
    }
    out += ']}';
  }
  return `${out}]}`;
}
