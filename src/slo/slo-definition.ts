import type { NormalizedSlaProperty } from '../catalog/contracts/documents/normalized-types';

/** SLOs Tessera measures from real data (ODCS slaProperties it knows how to evaluate). */
export const SLO_KINDS = ['latency', 'frequency', 'availability', 'retention', 'completeness'] as const;
export type SloKind = (typeof SLO_KINDS)[number];

export interface SloDefinition {
  slo: SloKind;
  /** Seconds for time-based SLOs; a percentage (0-100) for availability and completeness. */
  target: number;
  unit: 'seconds' | 'percent';
  /** Column the contract names (`element: table.column`), if any. */
  column: string | null;
  /** The target as the contract wrote it, e.g. `1 h`, for messages. */
  declared: string;
}

const SECONDS: Record<string, number> = {
  ms: 0.001,
  millisecond: 0.001,
  milliseconds: 0.001,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
  y: 31536000,
  yr: 31536000,
  year: 31536000,
  years: 31536000,
};

const ALIASES: Record<string, SloKind> = {
  latency: 'latency',
  freshness: 'latency',
  frequency: 'frequency',
  availability: 'availability',
  uptime: 'availability',
  retention: 'retention',
  completeness: 'completeness',
};

/** The column part of an ODCS `element` (`object.column` or `column`). */
function columnOf(element: string | null): string | null {
  if (!element) return null;
  const parts = element.split('.');
  return parts[parts.length - 1] || null;
}

/**
 * The SLOs of one contract. Properties Tessera cannot measure (e.g. `generalAvailability`, `timeOfAvailability`)
 * are skipped; so are ones with a non-numeric value or an unknown unit (reported in `skipped` with why).
 */
export function sloDefinitions(sla: NormalizedSlaProperty[]): { definitions: SloDefinition[]; skipped: { property: string; reason: string }[] } {
  const definitions: SloDefinition[] = [];
  const skipped: { property: string; reason: string }[] = [];
  for (const p of sla) {
    const slo = ALIASES[p.property.toLowerCase()];
    if (!slo) continue;
    const value = typeof p.value === 'number' ? p.value : typeof p.value === 'string' && p.value.trim() !== '' ? Number(p.value) : NaN;
    if (!Number.isFinite(value) || value <= 0) {
      skipped.push({ property: p.property, reason: `value ${JSON.stringify(p.value)} is not a positive number` });
      continue;
    }
    const unit = (p.unit ?? '').trim().toLowerCase();
    const declared = `${p.value}${p.unit ? ` ${p.unit}` : ''}`;
    if (slo === 'availability' || slo === 'completeness') {
      if (unit !== '' && unit !== '%' && unit !== 'percent') {
        skipped.push({ property: p.property, reason: `unit ${JSON.stringify(p.unit)} is not percent` });
        continue;
      }
      if (value > 100) {
        skipped.push({ property: p.property, reason: `${value} percent is more than 100` });
        continue;
      }
      definitions.push({ slo, target: value, unit: 'percent', column: columnOf(p.element), declared });
      continue;
    }
    const factor = SECONDS[unit];
    if (factor === undefined) {
      skipped.push({ property: p.property, reason: `unit ${JSON.stringify(p.unit)} is not a duration unit (ms, s, m, h, d, w, y)` });
      continue;
    }
    definitions.push({ slo, target: value * factor, unit: 'seconds', column: columnOf(p.element), declared });
  }
  return { definitions, skipped };
}
