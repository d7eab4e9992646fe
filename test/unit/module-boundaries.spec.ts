import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const SRC = resolve(process.cwd(), 'src');
const COMMON = join(SRC, 'common');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every module specifier a file names: static imports and re-exports (type-only ones included),
 * dynamic import() and require() — TypeScript's own pre-processor, not a regex.
 */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Relative specifiers of `file` that resolve outside `root`, as `file -> target` (repo-relative). */
function importsLeaving(file: string, text: string, root: string): string[] {
  return specifiers(text)
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s))
    .filter((target) => target !== root && !target.startsWith(root + sep))
    .map((target) => `${relative(process.cwd(), file)} -> ${relative(process.cwd(), target)}`);
}

describe('module boundaries', () => {
  it('src/common is a leaf: no file under it imports anything outside src/common', () => {
    const files = sourceFiles(COMMON);
    expect(files.length).toBeGreaterThan(10); // the walk found the folder
    const leaving = files.flatMap((f) => importsLeaving(f, readFileSync(f, 'utf8'), COMMON));
    expect(leaving).toEqual([]);
  });

  it('the scan sees every kind of import that would break the rule', () => {
    const file = join(COMMON, 'http', 'example.ts');
    const text = [
      `import { A } from '../../features/online/online-store';`,
      `import type { B } from '../../governance/auth/principal';`,
      `export { C } from '../../../migrations';`,
      `const d = await import('../../catalog/entities');`,
      `import { ok } from '../errors/tessera-error';`,
      `import { DataSource } from 'typeorm';`,
    ].join('\n');
    expect(importsLeaving(file, text, COMMON)).toEqual([
      'src/common/http/example.ts -> src/features/online/online-store',
      'src/common/http/example.ts -> src/governance/auth/principal',
      'src/common/http/example.ts -> migrations',
      'src/common/http/example.ts -> src/catalog/entities',
    ]);
  });

  it('no forwardRef holds the feature store sub-modules together', () => {
    const withForwardRef = sourceFiles(join(SRC, 'features')).filter((f) => /\bforwardRef\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(withForwardRef.map((f) => relative(process.cwd(), f))).toEqual([]);
  });
});
