import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { portalDir } from '../../src/portal/portal-pages';

const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((max, e) => Math.max(max, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);

/** Builds the portal (Vite, a few seconds) when its output is missing or older than its sources: CI's `npm ci` does not build. */
export function ensurePortalBuilt(): void {
  const index = join(portalDir(), 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(newest('web/src'), statSync('web/index.html').mtimeMs)) return;
  // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync('npm', ['run', 'build', '-w', 'web', '--silent'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
