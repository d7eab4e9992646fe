import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The Bitol standards (official JSON Schemas and example documents) live beside the repository in
 * ../shared/standards; they are read there, never copied in. TESSERA_STANDARDS_DIR overrides the place
 * and makes the conformance suite mandatory (CI sets it), otherwise the suite skips when absent.
 */
export function standardsDir(): { dir: string; required: boolean } {
  const explicit = process.env.TESSERA_STANDARDS_DIR;
  return { dir: explicit ?? resolve(process.cwd(), '..', 'shared', 'standards'), required: explicit !== undefined };
}

export function standardsAvailable(): boolean {
  const { dir, required } = standardsDir();
  if (existsSync(dir)) return true;
  if (required) throw new Error(`TESSERA_STANDARDS_DIR=${dir} does not exist`);
  return false;
}

/**
 * Why a suite that needs the standards is skipped, and how to run it: printed (and put into the
 * skipped suite's name) so a clone without ../shared/standards does not skip tests silently.
 */
export function standardsSkipNotice(suite: string): string {
  const { dir } = standardsDir();
  return (
    `${suite}: skipped because ${dir} does not exist (the official ODCS/ODPS JSON Schemas and examples live beside the repository). ` +
    'To run it: TESSERA_STANDARDS_DIR=/path/to/standards npm run test:conformance (CI does, with ../shared/standards).'
  );
}
