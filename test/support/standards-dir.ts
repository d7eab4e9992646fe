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
