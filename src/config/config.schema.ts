import { z } from 'zod';

/** Environment variables Tessera reads, validated once at start-up. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be a comma-separated list of host:port')
    .optional(),
  TESSERA_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, : _ . -')
    .default('tessera:'),
  TESSERA_ONLINE_STORE: z.enum(['auto', 'redis', 'postgres']).default('auto'),
  TESSERA_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  TESSERA_DATA_DIR: z.string().min(1).default('.tessera'),
  TESSERA_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54320),
  TESSERA_APPLY_ON_START: z.string().optional(),
  TESSERA_STANDARDS_DIR: z.string().optional(),
  TESSERA_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  TESSERA_MODEL_DIR: z.string().min(1).optional(),
  TESSERA_MODEL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Coalesce concurrent predictions of one model version into one ONNX run (ADR 0011). */
  TESSERA_PREDICT_MICROBATCH: z.enum(['on', 'off']).default('off'),
  /** How long a replica trusts its cached deployment of a model before re-reading it. */
  TESSERA_DEPLOYMENT_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  // Authentication, authorization and hardening (issue 5, ADR 0009).
  TESSERA_OIDC_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  TESSERA_OIDC_ISSUER: z.string().min(1).optional(),
  TESSERA_OIDC_AUDIENCE: z.string().min(1).optional(),
  TESSERA_OIDC_ROLES_CLAIM: z.string().min(1).default('tessera_roles'),
  TESSERA_OIDC_PRINCIPAL_CLAIM: z.string().min(1).default('sub'),
  /** Safety net of the change feed (ADR 0018): how often a replica compares the change versions; 0: never. */
  TESSERA_CHANGE_CHECK_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  /** First delay before the change feed reconnects its LISTEN connection (doubles per failure, up to 5 s). */
  TESSERA_CHANGE_RECONNECT_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  // Portal sign-in (ADR 0024): lifetime of a session cookie, and the secret signing it (derived from the admin key when unset).
  TESSERA_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(8),
  TESSERA_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TESSERA_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  TESSERA_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  TESSERA_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  TESSERA_GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(1).default(2000),
  TESSERA_GRAPHQL_INTROSPECTION: z.enum(['true', 'false', '1', '0', 'on', 'off']).default('true'),
  TESSERA_POLICY_QUORUM: z.coerce.number().int().min(1).max(100).default(2),
  // SLO evaluation and breach alerts (issue 6).
  TESSERA_SLO_SCHEDULE: z.string().min(1).default('*/5 * * * *'),
  TESSERA_SLO_WINDOW_DAYS: z.coerce.number().min(1).max(366).default(28),
  TESSERA_ALERT_WEBHOOKS: z
    .string()
    .refine((v) => v.split(',').every((u) => /^https?:\/\/\S+$/.test(u.trim())), 'must be a comma-separated list of http(s) URLs')
    .optional(),
  TESSERA_ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TESSERA_PII_HMAC_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TESSERA_DRIFT_PSI_THRESHOLD: z.coerce.number().min(0).max(10).default(0.2),
  TESSERA_DRIFT_WINDOW_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 90)
    .default(24),
  TESSERA_ALERT_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
  // Data quality rules (issue 6, ADR 0013): cron of the scheduled runs ("off" disables), per-statement timeout.
  TESSERA_QUALITY_SCHEDULE: z.string().min(1).default('0 * * * *'),
  TESSERA_QUALITY_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
  // Offline rows per cursor FETCH and per online write of a materialization job (bounds its memory).
  TESSERA_MATERIALIZE_CHUNK_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  // Longest graceful shutdown (SIGTERM/SIGINT): draining requests, flushing the prediction log.
  TESSERA_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(25_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof configSchema>;
