import type { LocatedQualityRule } from '../catalog/contracts/documents/normalized-types';
import type { QualityOperator } from '../catalog/contracts/documents/odcs-quality.schema';
import type { OfflineColumn } from '../features/offline/offline-table.entity';

export const LIBRARY_METRICS = ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount'] as const;
export type LibraryMetric = (typeof LIBRARY_METRICS)[number];

/**
 * ODCS leaves `severity` free text. These block an ingest when their rule fails (case-insensitive);
 * anything else (warning, info, absent) is recorded and reported only (ADR 0013).
 */
export const BLOCKING_SEVERITIES: readonly string[] = ['error', 'critical', 'blocker', 'fatal'];

export function isBlocking(severity: string | null): boolean {
  return severity !== null && BLOCKING_SEVERITIES.includes(severity.trim().toLowerCase());
}

/** Where a rule was declared and what it says, as results and errors name it. */
export interface RuleIdentity {
  /** Unique within the contract: declaration path plus the rule's index, e.g. `schema[0].properties[1].quality[0]`. */
  path: string;
  /** ODCS element (`table` or `table.column`). */
  element: string;
  id: string | null;
  description: string | null;
  dimension: string | null;
  severity: string | null;
  blocking: boolean;
  operator: QualityOperator | null;
  threshold: unknown;
  unit: 'rows' | 'percent';
}

interface BaseRule extends RuleIdentity {
  /** Column the rule is about (property-level rules), null for schema-level ones. */
  column: OfflineColumn | null;
  /** The rule's own cron (ODCS `schedule`, scheduler `cron` or unset); null: the global TESSERA_QUALITY_SCHEDULE. */
  schedule: string | null;
}

/**
 * A rule's own cron: ODCS `schedule` when its `scheduler` is `cron` or unset. A rule scheduled by
 * another scheduler (an orchestrator's name) is that scheduler's business; Tessera runs it on the
 * global schedule like a rule without one.
 */
export function ownSchedule(r: Pick<LocatedQualityRule, 'schedule' | 'scheduler'>): string | null {
  const schedule = r.schedule?.trim();
  if (!schedule) return null;
  const scheduler = r.scheduler?.trim().toLowerCase();
  return !scheduler || scheduler === 'cron' ? schedule : null;
}

export interface LibraryRule extends BaseRule {
  kind: 'library';
  metric: LibraryMetric;
  arguments: Record<string, unknown>;
}

export interface SqlRule extends BaseRule {
  kind: 'sql';
  query: string;
}

/** A rule that cannot be evaluated here: text and custom rules (skipped) or a broken declaration (error). */
export interface UnrunnableRule extends BaseRule {
  kind: 'skipped' | 'invalid';
  metric: string | null;
  query: string | null;
  reason: string;
}

export type PlannedRule = LibraryRule | SqlRule | UnrunnableRule;

/** The port's table as the rules see it. */
export interface QualityTarget {
  schema: string;
  table: string;
  columns: OfflineColumn[];
  /** Schema object of the contract this table stores (rules of other objects do not apply). */
  objectName: string;
}

/**
 * Turns a contract's located rules into executable ones for one table. Rules of other schema
 * objects are left out; nested properties, unknown columns and missing operators become `invalid`
 * (reported as rule errors, so a broken rule is visible instead of silently passing).
 * Every rule runs on every ingest and on request; on a schedule, a rule with its own cron
 * (ownSchedule) runs on that cron only, the others on TESSERA_QUALITY_SCHEDULE.
 */
export function planRules(rules: readonly LocatedQualityRule[], target: QualityTarget): PlannedRule[] {
  const counters = new Map<string, number>();
  const planned: PlannedRule[] = [];
  for (const r of rules) {
    const index = counters.get(r.path) ?? 0;
    counters.set(r.path, index + 1);
    const object = r.element.split('.')[0];
    if (object !== target.objectName) continue;
    const propertyPath = r.element.slice(object.length + 1);
    const base: BaseRule = {
      path: `${r.path}.quality[${index}]`,
      element: r.element,
      id: r.id,
      description: r.description ?? r.name,
      dimension: r.dimension,
      severity: r.severity,
      blocking: isBlocking(r.severity),
      operator: r.operator,
      threshold: r.threshold,
      unit: r.unit?.toLowerCase() === 'percent' ? 'percent' : 'rows',
      column: null,
      schedule: ownSchedule(r),
    };
    const unrunnable = (kind: 'skipped' | 'invalid', reason: string): UnrunnableRule => ({ ...base, kind, metric: r.metric, query: r.query, reason });
    if (r.type === 'text' || r.type === 'custom') {
      planned.push(unrunnable('skipped', `${r.type} rules are not executed by Tessera`));
      continue;
    }
    if (propertyPath !== '') {
      const column = target.columns.find((c) => c.name === propertyPath);
      if (!column) {
        planned.push(unrunnable('invalid', `element ${r.element} is not a column of the table (nested properties are stored as JSON and cannot be checked)`));
        continue;
      }
      base.column = column;
    }
    if (r.operator === null) {
      planned.push(unrunnable('invalid', 'the rule has no operator (mustBe, mustBeLessThan, ...)'));
      continue;
    }
    if (r.type === 'sql') {
      if (!r.query) planned.push(unrunnable('invalid', 'a sql rule needs a query'));
      else planned.push({ ...base, kind: 'sql', query: r.query });
      continue;
    }
    const metric = r.metric as LibraryMetric;
    if (!(LIBRARY_METRICS as readonly string[]).includes(metric)) {
      planned.push(unrunnable('invalid', `unknown metric ${JSON.stringify(r.metric)}`));
      continue;
    }
    const args = r.arguments ?? {};
    const problem = libraryProblem(metric, base, args, target.columns);
    if (problem) planned.push(unrunnable('invalid', problem));
    else planned.push({ ...base, kind: 'library', metric, arguments: args });
  }
  return planned;
}

function libraryProblem(metric: LibraryMetric, rule: BaseRule, args: Record<string, unknown>, columns: OfflineColumn[]): string | null {
  const propertyLevel = metric === 'nullValues' || metric === 'missingValues' || metric === 'invalidValues';
  if (propertyLevel && !rule.column) return `${metric} is a property-level metric: declare it on a property`;
  if (metric === 'missingValues' && !Array.isArray(args.missingValues)) return 'missingValues needs arguments.missingValues (an array)';
  if (metric === 'invalidValues') {
    const valid = args.validValues;
    const pattern = args.pattern;
    if (valid === undefined && pattern === undefined) return 'invalidValues needs arguments.validValues or arguments.pattern';
    if (valid !== undefined && !Array.isArray(valid)) return 'arguments.validValues must be an array';
    if (pattern !== undefined && typeof pattern !== 'string') return 'arguments.pattern must be a string';
  }
  if (metric === 'duplicateValues' && !rule.column) {
    const props = args.properties;
    if (!Array.isArray(props) || props.length === 0 || !props.every((p) => typeof p === 'string')) {
      return 'a schema-level duplicateValues needs arguments.properties (property names)';
    }
    const unknown = props.filter((p) => !columns.some((c) => c.name === p));
    if (unknown.length > 0) return `arguments.properties: ${unknown.join(', ')} not column(s) of the table`;
  }
  return null;
}
