import { z } from 'zod';

/**
 * Feast sends timestamps as ISO strings and its server reads zone-less ones as UTC
 * (`make_tzaware`); so do we. A date alone is midnight UTC.
 */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

export const isoTimestamp = z.string().transform((s, ctx) => {
  const text = ZONELESS.test(s.trim()) ? `${s.trim().replace(' ', 'T')}Z` : s.trim();
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 timestamp, e.g. 2024-05-01T10:00:00Z' });
    return z.NEVER;
  }
  return new Date(ms);
});

const featureViews = z.array(z.string().min(1)).max(1000).optional();

/** Feast's MaterializeRequest: `feature_views` omitted or empty = every online view. */
export const materializeBody = z.object({
  start_ts: isoTimestamp,
  end_ts: isoTimestamp,
  feature_views: featureViews,
});

export const materializeIncrementalBody = z.object({
  end_ts: isoTimestamp,
  feature_views: featureViews,
});
