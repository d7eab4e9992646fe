import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchemaSdl } from '../src/schema-emitter';

buildSchemaSdl()
  .then((sdl) => {
    const target = resolve(process.cwd(), 'schema.graphql');
    writeFileSync(target, sdl);
    console.log(`wrote ${target}`);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
