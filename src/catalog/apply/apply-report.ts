import type { ApplyIssue } from '../contracts/documents/apply-issue';
import type { ContractChange } from '../contracts/documents/contract-diff';

export type ApplyAction = 'created' | 'updated' | 'unchanged';

export interface ApplyChange {
  file: string;
  kind: string;
  id: string;
  version: string | null;
  action: ApplyAction;
  /** For updated contracts: the highest impact of the diff and the version it suggests. */
  impact?: string;
  suggestedVersion?: string;
  diff?: ContractChange[];
}

export interface ApplyReport {
  /** True when the documents are now stored (never for a dry run or a rejected request). */
  applied: boolean;
  dryRun: boolean;
  /** True when at least one document was (or, in a dry run, would be) created or updated. */
  changed: boolean;
  message: string;
  summary: { created: number; updated: number; unchanged: number };
  changes: ApplyChange[];
  warnings: ApplyIssue[];
  errors: ApplyIssue[];
}

export interface ContractFile {
  path: string;
  content: string;
  /** `base64`: a binary attachment (a Model's .onnx file), never parsed as a document. Absent: UTF-8 text. */
  encoding?: 'base64';
}

export interface ApplyRequest {
  files: ContractFile[];
  dryRun: boolean;
  /** Principal id of the caller, recorded as proposer of applied Policy documents (default `system:apply`). */
  actor?: string;
}

export function summarize(changes: ApplyChange[], errors: ApplyIssue[], dryRun: boolean): Pick<ApplyReport, 'summary' | 'message' | 'changed'> {
  const summary = { created: 0, updated: 0, unchanged: 0 };
  for (const c of changes) summary[c.action] += 1;
  const changed = summary.created + summary.updated > 0;
  let message: string;
  if (errors.length > 0) {
    const files = new Set(errors.map((e) => e.file)).size;
    message = `rejected: ${errors.length} error(s) in ${files} file(s); nothing was stored`;
  } else if (!changed) {
    message = `nothing changed: ${summary.unchanged} document(s) already up to date`;
  } else {
    const verb = dryRun ? 'would create' : 'created';
    const verb2 = dryRun ? 'would update' : 'updated';
    message = `${verb} ${summary.created}, ${verb2} ${summary.updated}, unchanged ${summary.unchanged}${dryRun ? ' (dry run: nothing stored)' : ''}`;
  }
  return { summary, message, changed };
}
