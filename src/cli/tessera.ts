#!/usr/bin/env node
import { buildProgram } from './tessera-program';

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    console.error(`tessera: ${(err as Error).message}`);
    process.exitCode = 2;
  });
