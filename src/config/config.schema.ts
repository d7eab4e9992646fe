import { z } from 'zod';

/** Environment variables Tessera reads, validated once at start-up. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL').optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be a comma-separated list of host:port')
    .optional(),
  TESSERA_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, : _ . -').default('tessera:'),
  TESSERA_ONLINE_STORE: z.enum(['auto', 'redis', 'postgres']).default('auto'),
  TESSERA_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  TESSERA_DATA_DIR: z.string().min(1).default('.tessera'),
  TESSERA_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54320),
  TESSERA_APPLY_ON_START: z.string().optional(),
  TESSERA_STANDARDS_DIR: z.string().optional(),
  TESSERA_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  TESSERA_MODEL_DIR: z.string().min(1).optional(),
  TESSERA_MODEL_MAX_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof configSchema>;
