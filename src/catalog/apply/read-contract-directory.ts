import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ContractFile } from './apply-report';

const CONTRACT_FILE = /\.(ya?ml|json)$/i;
/** Binary files a document may reference (a Model's `file`), sent base64-encoded. */
const BINARY_FILE = /\.onnx$/i;

/**
 * Reads every YAML/JSON file under `dir` (sorted, so reports are stable), with paths relative to the
 * directory's parent so they read like `contracts/rides/rides-trips.odps.yaml`; `.onnx` files come
 * along base64-encoded for the Model documents that name them.
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
      else if (BINARY_FILE.test(name)) files.push({ path: relative(base, full), content: readFileSync(full).toString('base64'), encoding: 'base64' });
    }
  };
  walk(root);
  return files;
}
