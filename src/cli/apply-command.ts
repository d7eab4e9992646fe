import { readContractDirectory } from '../catalog/apply/read-contract-directory';
import type { ApplyReport } from '../catalog/apply/apply-report';
import { formatApplyReport } from './format-apply-report';

export interface ApplyCommandOptions {
  dir: string;
  url: string;
  key?: string;
  dryRun: boolean;
  json: boolean;
}

export interface CommandResult {
  /** 0 applied (or nothing to do), 1 rejected by the server, 2 could not ask the server. */
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

type ErrorBody = { error?: { code: string; message: string; details?: unknown } };

/** `tessera apply <dir>`: posts every contract file under `dir` to /v1/contracts/apply. */
export async function runApplyCommand(o: ApplyCommandOptions): Promise<CommandResult> {
  let files;
  try {
    files = readContractDirectory(o.dir);
  } catch (err) {
    return { exitCode: 2, stdout: '', stderr: `tessera: cannot read ${o.dir}: ${(err as Error).message}` };
  }
  if (files.length === 0) return { exitCode: 2, stdout: '', stderr: `tessera: no .yaml, .yml or .json files under ${o.dir}` };
  let response: Response;
  try {
    response = await fetch(new URL('/v1/contracts/apply', o.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(o.key ? { authorization: `Bearer ${o.key}` } : {}) },
      body: JSON.stringify({ files, dryRun: o.dryRun }),
    });
  } catch (err) {
    return { exitCode: 2, stdout: '', stderr: `tessera: cannot reach ${o.url}: ${(err as Error).message}` };
  }
  const body = (await response.json().catch(() => null)) as (ErrorBody & Partial<ApplyReport>) | null;
  const report = (body?.error ? body.error.details : body) as ApplyReport | null | undefined;
  const exitCode = response.ok ? 0 : 1;
  if (o.json) return { exitCode, stdout: JSON.stringify(body, null, 2), stderr: '' };
  if (report && Array.isArray(report.changes)) return { exitCode, stdout: formatApplyReport(report), stderr: '' };
  const reason = body?.error ? `${body.error.code}: ${body.error.message}` : 'unexpected response';
  return { exitCode: response.ok ? 0 : 1, stdout: '', stderr: `tessera: ${response.status} ${reason}` };
}
