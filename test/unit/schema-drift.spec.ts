import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchemaSdl } from '../../src/schema-emitter';

describe('schema.graphql', () => {
  it('matches the code-first schema (run `npm run schema:emit` after an API change)', async () => {
    const committed = readFileSync(resolve(process.cwd(), 'schema.graphql'), 'utf8');
    expect(await buildSchemaSdl()).toBe(committed);
  });
});
