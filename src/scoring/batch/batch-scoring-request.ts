import { z } from 'zod';

/** `POST /v1/models/{name}/batch-scoring`: which version (default: production, else the highest), as of when, which entities. */
export const batchScoringBody = z.strictObject({
  version: z.string().min(1).max(64).optional(),
  as_of: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with a zone, e.g. 2026-12-01T00:00:00Z' }).optional(),
  /** Join key columns (one value per entity); omitted: every entity of the feature service as of as_of. */
  entities: z.record(z.string().min(1).max(128), z.array(z.unknown())).optional(),
});

export const batchJobsQuery = z.strictObject({
  first: z.coerce.number().int().min(1).max(500).default(20),
});

export const predictionsContractQuery = z.strictObject({
  dataProduct: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must be a data product id')
    .optional(),
  outputPort: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an output port name')
    .optional(),
  format: z.enum(['json', 'yaml']).default('json'),
});
