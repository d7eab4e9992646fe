import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { portalDir } from '../../src/portal/portal-pages';
import { ensurePortalBuilt } from '../support/portal-build';

/** Budget of the script a first visit loads (issue 12): lazy pages (lineage: React Flow, elkjs) are not in it. */
const INITIAL_JS_BUDGET_GZIP = 350 * 1024;

describe('portal build output', () => {
  beforeAll(() => ensurePortalBuilt(), 120_000);

  it('keeps the initial JavaScript (every script and modulepreload of index.html) within 350 KB gzipped', () => {
    const html = readFileSync(join(portalDir(), 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(portal-assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(initial.length).toBeGreaterThan(0);
    const gzipped = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(portalDir(), file))).length, 0);
    expect(gzipped).toBeLessThanOrEqual(INITIAL_JS_BUDGET_GZIP);
    // The lineage page's libraries stay out of the first load.
    const initialText = initial.map((file) => readFileSync(join(portalDir(), file), 'utf8')).join('\n');
    expect(initialText).not.toContain('org.eclipse.elk');
  });

  it('has typed operations generated from the committed schema.graphql (npm run codegen:web)', () => {
    // graphql-codegen --check exits non-zero when a generated file differs from what it would write.
    expect(() => execFileSync('npm', ['run', 'codegen:check', '-w', 'web', '--silent'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);
});
