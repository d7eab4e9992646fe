import { readFileSync } from 'node:fs';
import { configSchema } from '../../src/config/config.schema';

/** The README's configuration tables name every environment variable the service, the CLI and the scripts read. */
describe('README configuration tables', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Architecture'));
  const documented = new Set([...section.matchAll(/^\| `([A-Z_]+)`(?: \/ `([A-Z_]+)`)?/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean)));

  it('documents every variable of the config schema', () => {
    expect(Object.keys(configSchema.shape).filter((k) => !documented.has(k))).toEqual([]);
  });

  it('documents the variables read outside the config schema (CLI and scripts)', () => {
    // Read in src/cli and scripts/tessera-client.ts.
    const outside = ['TESSERA_URL', 'TESSERA_API_KEY'];
    const sources = ['src/cli/tessera-program.ts', 'scripts/tessera-client.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const v of outside) expect([v, sources.includes(v), documented.has(v)]).toEqual([v, true, true]);
  });
});
