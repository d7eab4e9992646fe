import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_KEY_FILE = 'admin-key';

/**
 * The bootstrap admin key: TESSERA_ADMIN_KEY when set; otherwise a key generated on the first start
 * and kept in `<dataDir>/admin-key` (mode 0600) for later starts. Authentication is always on, so a
 * fresh install is never open; the caller logs only the file's path.
 */
export function resolveBootstrapAdminKey(configured: string | undefined, dataDir: string): { key: string; source: 'env' | 'file' | 'generated'; path?: string } {
  return resolveSecret(configured, dataDir, ADMIN_KEY_FILE, 'tsk_admin_');
}

/**
 * A server secret: the configured value, else one generated on the first start into `<dataDir>/<file>`
 * (mode 0600) and read back on later starts (the PII masking secret uses it too).
 */
export function resolveSecret(configured: string | undefined, dataDir: string, file: string, prefix: string): { key: string; source: 'env' | 'file' | 'generated'; path?: string } {
  if (configured) return { key: configured, source: 'env' };
  const path = join(dataDir, file);
  const existing = readKey(path);
  if (existing) return { key: existing, source: 'file', path };
  mkdirSync(dataDir, { recursive: true });
  const key = `${prefix}${randomBytes(32).toString('base64url')}`;
  try {
    // 'wx': two processes starting at once on one data dir agree on the first key written.
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = readKey(path);
    if (!raced) throw new Error(`${path} exists but holds no key`, { cause: err });
    return { key: raced, source: 'file', path };
  }
  chmodSync(path, 0o600); // the umask may have narrowed the mode, never widened it; be explicit anyway
  return { key, source: 'generated', path };
}

function readKey(path: string): string | undefined {
  try {
    const key = readFileSync(path, 'utf8').trim();
    return key.length >= 16 ? key : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
