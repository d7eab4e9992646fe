import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ContractFile } from './apply-report';

const CONTRACT_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads every YAML/JSON file under `dir` (sorted, so reports are stable), with paths relative to the
 * directory's parent so they read like `contracts/rides/rides-trips.odps.yaml`.
 */
export function readContractDirectory(dir: string): ContractFile[] {
  const root = resolve(dir);
  if (!statSync(root).isDirectory()) throw new Error(`${dir} is not a directory`);
  const base = resolve(root, '..');
  const files: ContractFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (CONTRACT_FILE.test(name)) files.push({ path: relative(base, full), content: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return files;
}
