import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TesseraClient } from './tessera-client';
import { catalogSteps } from './tour-catalog';
import { createTourContext, type Json } from './tour-context';
import { featureSteps } from './tour-features';
import { governanceSteps } from './tour-governance';
import { modelSteps } from './tour-models';
import { precomputeSteps } from './tour-precompute';
import { servingSteps } from './tour-serving';
import { streamingSteps } from './tour-streaming';

/**
 * The README's tour, as a program (`npm run tour`): every input is a file in the repository
 * (`contracts/`, `examples/`), every time is relative to now, and every answer printed is the service's.
 * It returns what each step answered so test/e2e/tour.spec.ts can check it.
 */
export interface TourOptions {
  client: TesseraClient;
  /** Repository root (contracts/ and examples/). */
  root: string;
  print: (line: string) => void;
  now?: () => number;
}

export async function runTour(o: TourOptions): Promise<Json> {
  const work = mkdtempSync(join(tmpdir(), 'tessera-tour-'));
  try {
    const c = createTourContext({ client: o.client, root: o.root, print: o.print, started: (o.now ?? Date.now)(), work });
    for (const steps of [catalogSteps, featureSteps, modelSteps, governanceSteps, servingSteps, precomputeSteps, streamingSteps]) await steps(c);
    c.out.close();
    return c.r;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
