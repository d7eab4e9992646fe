import { z } from 'zod';

/**
 * `name=perMinute` pairs separated by commas, e.g. `model_service=3000000,consumer=12000`, into a map;
 * an unknown name, a missing `=` or a negative or fractional count is refused with the pair named.
 */
function limitTable(what: string, name: RegExp) {
  return z.string().transform((raw, ctx) => {
    const table = new Map<string, number>();
    for (const pair of raw
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')) {
      const [key, count, ...rest] = pair.split('=').map((p) => p.trim());
      if (count === undefined || rest.length > 0 || !name.test(key) || !/^\d{1,12}$/.test(count)) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not ${what}=requests per minute (a whole number, 0: unlimited)` });
        return z.NEVER;
      }
      table.set(key, Number(count));
    }
    return table;
  });
}

/** Environment variables Tessera reads, validated once at start-up. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** A streaming replica of DATABASE_URL's server for heavy reads (ADR 0031). */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Replay lag past which heavy reads skip the replica without waiting. */
  DATABASE_READ_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** How long a heavy read waits for the replica to replay what the primary had committed when the read began. */
  DATABASE_READ_CATCH_UP_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /** Period of the replica's health and lag probe (0: probed on demand only, by /ready and failed reads). */
  DATABASE_READ_PROBE_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
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
  /** Portal sign-in through the identity provider (authorization code + PKCE): this client's id at the issuer. */
  TESSERA_OIDC_CLIENT_ID: z.string().min(1).optional(),
  TESSERA_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The service's public base URL, for the sign-in redirect URI (default: the request's own origin). */
  TESSERA_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Safety net of the change feed (ADR 0018): how often a replica compares the change versions; 0: never. */
  TESSERA_CHANGE_CHECK_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  /** First delay before the change feed reconnects its LISTEN connection (doubles per failure, up to 5 s). */
  TESSERA_CHANGE_RECONNECT_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  // Portal sign-in (ADR 0024): lifetime of a session cookie, and the secret signing it (derived from the admin key when unset).
  TESSERA_SESSION_HOURS: z.coerce.number().int().min(1).max(168).default(8),
  TESSERA_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TESSERA_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  TESSERA_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  /** Per-role limits (`role=perMinute,…`; 0: unlimited): machines that serve models need far more than people (issue 16). */
  TESSERA_RATE_LIMIT_ROLES: limitTable('role', /^(admin|governance_lead|governance_member|domain_owner|domain_member|consumer|model_service)$/).default(new Map([['model_service', 3_000_000]])),
  /** Per-principal limits (`principalId=perMinute,…`; 0: unlimited), over the role limits. */
  TESSERA_RATE_LIMIT_PRINCIPALS: limitTable('principal id', /^[^\s=,]{1,200}$/).default(new Map()),
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
  /** Most entity rows of one Arrow entity upload (POST /v1/historical-features, /v1/training-datasets). */
  TESSERA_ENTITY_MAX_ROWS: z.coerce.number().int().min(1).max(50_000_000).default(5_000_000),
  TESSERA_ENTITY_UPLOAD_IDLE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  // Retrieval jobs (issue 18, ADR 0028): saves/retrievals from this many entity rows run as jobs; a job
  // whose replica stops heartbeating for the lease is claimed by another; rows joined per progress step.
  TESSERA_RETRIEVAL_JOB_ROWS: z.coerce.number().int().min(1).max(50_000_000).default(2_000_000),
  TESSERA_RETRIEVAL_JOB_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  TESSERA_RETRIEVAL_JOBS_RUN: z.enum(['true', 'false', '1', '0', 'on', 'off']).default('true'),
  TESSERA_RETRIEVAL_JOB_CHUNK_ROWS: z.coerce.number().int().min(1).max(5_000_000).default(50_000),
  TESSERA_MATERIALIZE_CHUNK_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  // Batch scoring (ADR 0035): entities per point-in-time read, ONNX run and write of a job; whether this process runs jobs.
  TESSERA_BATCH_SCORING_CHUNK_ROWS: z.coerce.number().int().min(1).max(100_000).default(5000),
  TESSERA_BATCH_SCORING_WORKER: z.enum(['on', 'off']).default('on'),
  // Prediction log writer (ADR 0012): entries buffered in memory (beyond it dropped and counted), flush interval, rows per INSERT, sample-rate cache.
  TESSERA_PREDICTION_LOG_BUFFER: z.coerce.number().int().min(1).default(10_000),
  TESSERA_PREDICTION_LOG_FLUSH_MS: z.coerce.number().int().min(10).default(1_000),
  TESSERA_PREDICTION_LOG_BATCH: z.coerce.number().int().min(1).default(500),
  TESSERA_PREDICTION_LOG_RATE_CACHE_MS: z.coerce.number().int().min(0).default(10_000),
  // Federated training (ADR 0033): fewest usable rows a participant may take part with (its sums would reveal its rows).
  TESSERA_FEDERATED_MIN_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(25),
  // Partitioned offline tables (issue 15, ADR 0030): width of a new table's partitions ("none": plain
  // tables), how many buckets past the current one exist ahead, how often the maintainer runs, and
  // whether it drops partitions past a contract's retention SLA.
  TESSERA_OFFLINE_PARTITION_GRANULARITY: z.enum(['none', 'day', 'week', 'month', 'year']).default('month'),
  TESSERA_OFFLINE_PARTITIONS_AHEAD: z.coerce.number().int().min(0).max(366).default(2),
  TESSERA_OFFLINE_PARTITION_MAINTENANCE_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  TESSERA_OFFLINE_RETENTION_DROP: z.enum(['true', 'false', '1', '0', 'on', 'off']).default('false'),
  // Streaming ingestion over NATS JetStream (issue 13, ADR 0026): off without NATS_URL.
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^,\s]+(,(nats|tls):\/\/[^,\s]+)*$/, 'must be a nats:// or tls:// URL (comma-separated for a cluster)')
    .optional(),
  /** Most messages of one stream source per batch (rows written to the offline table in one transaction). */
  TESSERA_STREAM_BATCH_ROWS: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Longest wait for a batch to fill before the messages received so far are written. */
  TESSERA_STREAM_BATCH_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(100),
  /** How long the broker waits for a batch's acks before redelivering it elsewhere (a replica died mid-batch). */
  TESSERA_STREAM_ACK_WAIT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  // OpenLineage run events (issue 14, ADR 0034): sent through a durable outbox; nothing is recorded or sent without OPENLINEAGE_URL.
  OPENLINEAGE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Path of the lineage endpoint under OPENLINEAGE_URL (Marquez: api/v1/lineage; DataHub: openapi/openlineage/api/v1/lineage). */
  OPENLINEAGE_ENDPOINT: z
    .string()
    .regex(/^[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/, 'must be a URL path')
    .default('api/v1/lineage'),
  OPENLINEAGE_API_KEY: z.string().min(1).optional(),
  /** Namespace of Tessera's jobs and datasets in the lineage tool. */
  OPENLINEAGE_NAMESPACE: z.string().min(1).max(200).default('tessera'),
  /** First retry delay of an undelivered lineage event (doubles per attempt, at most 5 minutes). */
  TESSERA_OPENLINEAGE_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  // Model-on-demand workers over NATS (issue 13, ADR 0027): which models this process serves from
  // tessera.predict.<model> ("all": every registered model; "off": none, e.g. an API-only replica).
  TESSERA_PREDICT_WORKERS: z
    .string()
    .regex(/^(all|off|[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*)$/, 'must be all, off or a comma-separated list of model names')
    .default('all'),
  /** Most prediction requests a worker scores in one batch (one ONNX run per version). */
  TESSERA_PREDICT_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(64),
  /** Longest wait for a batch of prediction requests to fill after its first request. */
  TESSERA_PREDICT_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(2),
  // Longest graceful shutdown (SIGTERM/SIGINT): draining requests, flushing the prediction log.
  TESSERA_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(25_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof configSchema>;
