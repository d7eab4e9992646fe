import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** packages/client (issue 14 point 2): generated GraphQL types are current; the package builds and loads as CommonJS. */
describe('packages/client', () => {
  it('has typed operations generated from the committed schema.graphql (npm run codegen -w @tessera/client)', () => {
    // graphql-codegen --check exits non-zero when a generated file differs from what it would write.
    expect(() => execFileSync('npm', ['run', 'codegen:check', '-w', '@tessera/client', '--silent'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('compiles with its own tsconfig, and the output loads in plain Node with its public API', () => {
    // Inside the repository, so the output resolves onnxruntime-node (its peer) from the root node_modules.
    const out = mkdtempSync(join(resolve('packages/client'), '.build-check-'));
    try {
      execFileSync('npx', ['tsc', '-p', resolve('packages/client/tsconfig.json'), '--outDir', out], { stdio: 'pipe' });
      const script = `const c = require(${JSON.stringify(join(out, 'index.js'))}); console.log(JSON.stringify(['TesseraClient', 'loadModel', 'verifyBundle', 'BundleScorer', 'ModelQuery'].map((k) => [k, typeof c[k]])));`;
      const printed = execFileSync(process.execPath, ['-e', script], { cwd: resolve('.'), encoding: 'utf8' });
      expect(JSON.parse(printed)).toEqual([
        ['TesseraClient', 'function'],
        ['loadModel', 'function'],
        ['verifyBundle', 'function'],
        ['BundleScorer', 'function'],
        ['ModelQuery', 'object'],
      ]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
