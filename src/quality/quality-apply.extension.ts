import { Cron } from 'croner';
import type { ApplyContext, ApplyExtension } from '../catalog/apply/apply-extensions';
import { joinPath } from '../catalog/contracts/documents/apply-issue';
import type { OfflineColumn } from '../features/offline/offline-table.entity';
import { domainSchema } from '../features/offline/offline-naming';
import { OfflineTablesRepository } from '../features/offline/offline-tables.repository';
import { ownSchedule } from './quality-rule';
import { sqlRuleStatement } from './quality-sql';
import { ruleSqlRefusal } from './rule-sql-guard';

/** Stands in for the rule's table and column: only names matter to the parser. */
const PLACEHOLDER_TABLE = '_tessera_rule_table';
/** The schema `${table}` expands into when no table stores the contract yet and it names no domain. */
const PLACEHOLDER_SCHEMA = '_tessera_rule_schema';
const PLACEHOLDER_COLUMN = { name: '_tessera_rule_column' } as OfflineColumn;

/**
 * Refuses at apply the `sql` quality rules that reach outside their domain (ADR 0019): each rule is
 * parsed by PostgreSQL's own parser against the schema of every table that stores the contract's
 * rows. An error issue names the document path of the rule's query and the reason, and rolls the
 * apply back. Before any table stores the contract (checked against its declared domain, if any) the
 * issue is a warning: the rule runs nowhere yet, and every run checks again.
 */
export class QualityApplyExtension implements ApplyExtension {
  constructor(private readonly tables: OfflineTablesRepository) {}

  async afterApply(ctx: ApplyContext): Promise<void> {
    for (const doc of ctx.documents) {
      if (doc.kind !== 'DataContract') continue;
      // A rule's path is its element's; its index among that element's rules completes it (as planRules does).
      const seen = new Map<string, number>();
      const indexed = doc.value.quality.map((r) => ({ rule: r, index: (seen.set(r.path, (seen.get(r.path) ?? -1) + 1), seen.get(r.path)!) }));
      for (const { rule, index } of indexed) {
        const reason = scheduleProblem(ownSchedule(rule));
        if (reason) ctx.issues.push({ file: doc.file, docIndex: doc.docIndex, path: joinPath(rule.path, 'quality', index, 'schedule'), message: reason, severity: 'error' });
      }
      const rules = indexed.filter(({ rule }) => rule.type === 'sql' && typeof rule.query === 'string');
      if (rules.length === 0) continue;
      const schemas = await this.tables.schemasOfContract(ctx.manager, doc.value.id);
      // No table stores the contract yet, so its rules run nowhere: a warning now (ODCS's own examples name
      // tables unqualified); once a port stores it, each run checks again and refuses (fail closed).
      const stored = schemas.length > 0;
      if (!stored) schemas.push(doc.value.domain ? domainSchema(doc.value.domain) : '');
      for (const { rule, index } of rules) {
        for (const schema of schemas) {
          const reason = await refusal(rule.query!, schema || null, rule.element.includes('.'));
          if (!reason) continue;
          const path = joinPath(rule.path, 'quality', index, 'query');
          if (stored) ctx.issues.push({ file: doc.file, docIndex: doc.docIndex, path, message: `sql rule refused: ${reason}`, severity: 'error' });
          else ctx.issues.push({ file: doc.file, docIndex: doc.docIndex, path, message: `sql rule will be refused when a port stores this contract: ${reason}`, severity: 'warning' });
          break;
        }
      }
    }
  }
}

async function refusal(query: string, schema: string | null, propertyLevel: boolean): Promise<string | null> {
  const own = schema ?? PLACEHOLDER_SCHEMA;
  let text: string;
  try {
    text = sqlRuleStatement(query, { schema: own, table: PLACEHOLDER_TABLE, columns: [], objectName: '' }, propertyLevel ? PLACEHOLDER_COLUMN : null).text;
  } catch (e) {
    return (e as Error).message;
  }
  return ruleSqlRefusal(text, own);
}

/** Why a rule's own cron cannot run (Tessera runs it: scheduler `cron` or unset), or null. */
function scheduleProblem(schedule: string | null): string | null {
  if (schedule === null) return null;
  try {
    new Cron(schedule, { paused: true }).stop();
    return null;
  } catch (e) {
    return `schedule "${schedule}" is not a cron expression (5 fields, or 6 with seconds; or set scheduler to the orchestrator that runs it): ${(e as Error).message}`;
  }
}
