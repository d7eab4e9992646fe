import { z } from 'zod';

/** POST /v1/models/federated-training (ADR 0033). */
export const federatedTrainingBody = z.strictObject({
  /** The model to register and its version. */
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, _ and -, starting with a letter'),
  version: z.string().min(1).max(64),
  /** Its features, in order: each participant's port must have a column named like each feature. */
  featureService: z.string().min(1).max(200),
  /** The 0/1 label column of every participant's port. */
  label: z.string().min(1).max(63),
  participants: z
    .array(z.strictObject({ product: z.string().min(1).max(200), port: z.string().min(1).max(200) }))
    .min(1)
    .max(32),
  epochs: z.number().int().min(1).max(2000).default(200),
  learningRate: z.number().positive().max(10).default(0.5),
  l2: z.number().min(0).max(10).default(1e-3),
  description: z.string().max(2000).optional(),
});
export type FederatedTrainingRequest = z.output<typeof federatedTrainingBody>;

/** What a federated training registered, and who took part (nothing but counts and the fit). */
export interface FederatedTrainingResult {
  action: 'created' | 'unchanged';
  model: { name: string; version: string; sha256: string; domain: string | null };
  participants: { domain: string; product: string; port: string; rows: number }[];
  rows: number;
  epochs: number;
  finalLogLoss: number;
  weights: number[];
  bias: number;
}
