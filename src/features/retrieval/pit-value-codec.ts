import type { FeatureValueType } from '../registry/resolved-feature-view';
import type { EntityFrame } from './pit-entity-frame';
import type { OutputColumn, PitChunk } from './pit-request';
import { formatIso, parseIso } from './pit-timestamp';

/**
 * Feature values arrive as PostgreSQL text (every type parser is bypassed for the retrieval query), so
 * the JSON shape depends only on the view's logical types, not on the pg driver's defaults:
 * - integer: a number when it is a safe integer (|n| <= 2^53 - 1), else the decimal string, so int8
 *   values are never silently rounded;
 * - number: a number (NaN and ±Infinity of float columns become null in JSON);
 * - timestamp: ISO-8601 UTC `...T..:..:..sssZ`, with microseconds when there are sub-millisecond ones;
 * - date, time, string: text; boolean: boolean; object and array: parsed JSON.
 */
export function decodeJson(type: FeatureValueType, text: string | null): unknown {
  if (text === null) return null;
  switch (type) {
    case 'integer': {
      if (!/^-?\d+$/.test(text)) return Number(text);
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'number':
      return Number(text);
    case 'boolean':
      return text === 't' || text === 'true';
    case 'timestamp': {
      const at = parseIso(text, false);
      return at === null ? text : formatIso(at.ms, at.us); // 'infinity' and BC dates pass as text
    }
    case 'object':
    case 'array':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

/** One output column's values for rows [offset, offset + length) of a chunk, JSON-ready. */
export function jsonColumnSlice(column: OutputColumn, featureIndex: number, frame: EntityFrame, chunk: PitChunk): unknown[] {
  const { offset, length } = chunk;
  switch (column.kind) {
    case 'key':
      return frame.keys.find((k) => k.name === column.name)!.values.slice(offset, offset + length);
    case 'timestamp': {
      const out = new Array<string>(length);
      for (let i = 0; i < length; i++) out[i] = formatIso(frame.tsMs[offset + i], frame.tsUs[offset + i]);
      return out;
    }
    case 'extra':
      return frame.raw[column.name].slice(offset, offset + length);
    case 'feature':
      return chunk.features[featureIndex].map((t) => decodeJson(column.type, t));
  }
}
