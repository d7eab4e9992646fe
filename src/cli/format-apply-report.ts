import type { ApplyReport } from '../catalog/apply/apply-report';

/** Human-readable apply report, one line per change and per issue. */
export function formatApplyReport(r: ApplyReport): string {
  const lines: string[] = [];
  for (const c of r.changes) {
    if (c.action === 'unchanged') continue;
    const impact = c.impact ? ` [${c.impact}${c.suggestedVersion ? `, suggested ${c.suggestedVersion}` : ''}]` : '';
    const action = r.dryRun ? `would be ${c.action}` : c.action;
    lines.push(`${action.padEnd(r.dryRun ? 18 : 9)} ${c.kind} ${c.id}${c.version ? `@${c.version}` : ''}${impact}  (${c.file})`);
  }
  for (const w of r.warnings) lines.push(`warning   ${w.file}${w.path ? ` ${w.path}` : ''}: ${w.message}`);
  for (const e of r.errors) lines.push(`error     ${e.file}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
  lines.push(r.message);
  return lines.join('\n');
}
