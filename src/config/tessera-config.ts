import type { ReadReplicaOptions } from '../common/database/read-router';
import { RawConfig, configSchema } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** The validated configuration, read once at start-up and injected everywhere else. */
export class TesseraConfig {
  private constructor(readonly values: RawConfig) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): TesseraConfig {
    // Empty strings are treated as unset: `FOO= npm start` should mean "no FOO".
    const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
    const result = configSchema.safeParse(cleaned);
    if (!result.success) {
      throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    }
    return new TesseraConfig(result.data);
  }

  get port(): number {
    return this.values.PORT;
  }
  get host(): string {
    return this.values.HOST;
  }
  get databaseUrl(): string | undefined {
    return this.values.DATABASE_URL;
  }
  get embedded(): boolean {
    return this.values.DATABASE_URL === undefined;
  }
  get dataDir(): string {
    return this.values.TESSERA_DATA_DIR;
  }
  get embeddedPgPort(): number {
    return this.values.TESSERA_EMBEDDED_PG_PORT;
  }
  get redisUrl(): string | undefined {
    return this.values.REDIS_URL;
  }
  /** `host:port` pairs of a Redis Cluster's seed nodes, when configured. */
  get redisClusterNodes(): { host: string; port: number }[] | undefined {
    return this.values.REDIS_CLUSTER_NODES?.split(',').map((n) => {
      const i = n.lastIndexOf(':');
      return { host: n.slice(0, i), port: Number(n.slice(i + 1)) };
    });
  }
  /** Prefix of every Redis key Tessera writes (tests give each suite its own). */
  get redisPrefix(): string {
    return this.values.TESSERA_REDIS_PREFIX;
  }
  /** auto: Redis when configured or answering on 127.0.0.1:6379, else the PostgreSQL online table. */
  get onlineStore(): 'auto' | 'redis' | 'postgres' {
    return this.values.TESSERA_ONLINE_STORE;
  }
  get adminKey(): string | undefined {
    return this.values.TESSERA_ADMIN_KEY;
  }
  get standardsDir(): string | undefined {
    return this.values.TESSERA_STANDARDS_DIR;
  }
  get bodyLimitBytes(): number {
    return this.values.TESSERA_BODY_LIMIT_BYTES;
  }
  /** Directory for ONNX bytes (content-addressed); unset: they are stored in PostgreSQL. */
  get modelDir(): string | undefined {
    return this.values.TESSERA_MODEL_DIR;
  }
  /** Largest .onnx file accepted by the model registry. */
  get modelMaxBytes(): number {
    return this.values.TESSERA_MODEL_MAX_BYTES;
  }
  /** Micro-batching of concurrent predictions (ADR 0011). */
  get predictMicrobatch(): boolean {
    return this.values.TESSERA_PREDICT_MICROBATCH === 'on';
  }
  get deploymentCacheMs(): number {
    return this.values.TESSERA_DEPLOYMENT_CACHE_MS;
  }
  /** OIDC JWT verification, when a JWKS URL is configured (issuer and audience are then required). */
  get oidc(): { jwksUrl: string; issuer: string; audience: string; rolesClaim: string; principalClaim: string } | undefined {
    const v = this.values;
    if (!v.TESSERA_OIDC_JWKS_URL) return undefined;
    // Without issuer and audience any token the IdP signs for any application would be accepted.
    if (!v.TESSERA_OIDC_ISSUER || !v.TESSERA_OIDC_AUDIENCE) throw new ConfigError(['TESSERA_OIDC_JWKS_URL needs TESSERA_OIDC_ISSUER and TESSERA_OIDC_AUDIENCE']);
    return { jwksUrl: v.TESSERA_OIDC_JWKS_URL, issuer: v.TESSERA_OIDC_ISSUER, audience: v.TESSERA_OIDC_AUDIENCE, rolesClaim: v.TESSERA_OIDC_ROLES_CLAIM, principalClaim: v.TESSERA_OIDC_PRINCIPAL_CLAIM };
  }
  /** Portal sign-in through the identity provider, when a client id is configured (the issuer is then required). */
  get oidcSignIn(): { issuer: string; clientId: string; clientSecret?: string; publicUrl?: string; rolesClaim: string; principalClaim: string } | undefined {
    const v = this.values;
    if (!v.TESSERA_OIDC_CLIENT_ID) return undefined;
    if (!v.TESSERA_OIDC_ISSUER) throw new ConfigError(['TESSERA_OIDC_CLIENT_ID needs TESSERA_OIDC_ISSUER (its discovery document names the endpoints)']);
    return {
      issuer: v.TESSERA_OIDC_ISSUER,
      clientId: v.TESSERA_OIDC_CLIENT_ID,
      clientSecret: v.TESSERA_OIDC_CLIENT_SECRET,
      publicUrl: v.TESSERA_PUBLIC_URL?.replace(/\/+$/, ''),
      rolesClaim: v.TESSERA_OIDC_ROLES_CLAIM,
      principalClaim: v.TESSERA_OIDC_PRINCIPAL_CLAIM,
    };
  }
  /** The read replica and its bounds (ADR 0031); undefined: every read goes to DATABASE_URL. */
  get readReplica(): ReadReplicaOptions | undefined {
    const v = this.values;
    if (!v.DATABASE_READ_URL) return undefined;
    return { url: v.DATABASE_READ_URL, maxLagMs: v.DATABASE_READ_MAX_LAG_MS, catchUpMs: v.DATABASE_READ_CATCH_UP_MS, probeMs: v.DATABASE_READ_PROBE_MS };
  }
  /** How often the change feed compares version counters as a safety net behind LISTEN/NOTIFY (0: never). */
  get changeCheckMs(): number {
    return this.values.TESSERA_CHANGE_CHECK_MS;
  }
  /** First back-off of the change feed's reconnection (ADR 0018). */
  get changeReconnectMs(): number {
    return this.values.TESSERA_CHANGE_RECONNECT_MS;
  }
  /** How long a verified API key is trusted without asking PostgreSQL again: the bound on revocation delay. */
  get authCacheMs(): number {
    return this.values.TESSERA_AUTH_CACHE_MS;
  }
  /** How long a portal session lasts after sign-in. */
  get sessionHours(): number {
    return this.values.TESSERA_SESSION_HOURS;
  }
  /** Signs portal session cookies; every replica needs the same one (else derived from the shared admin key). */
  get sessionSecret(): string | undefined {
    return this.values.TESSERA_SESSION_SECRET;
  }
  /** Requests per minute per principal (per IP before authentication); 0: no limit. */
  get rateLimitPerMinute(): number {
    return this.values.TESSERA_RATE_LIMIT_PER_MINUTE;
  }
  /** Requests per minute by role (a principal with several roles gets the largest); 0: unlimited. */
  get rateLimitRoles(): ReadonlyMap<string, number> {
    return this.values.TESSERA_RATE_LIMIT_ROLES;
  }
  /** Requests per minute of named principals, over their roles' limits; 0: unlimited. */
  get rateLimitPrincipals(): ReadonlyMap<string, number> {
    return this.values.TESSERA_RATE_LIMIT_PRINCIPALS;
  }
  get graphqlMaxDepth(): number {
    return this.values.TESSERA_GRAPHQL_MAX_DEPTH;
  }
  get graphqlMaxComplexity(): number {
    return this.values.TESSERA_GRAPHQL_MAX_COMPLEXITY;
  }
  get graphqlIntrospection(): boolean {
    return ['true', '1', 'on'].includes(this.values.TESSERA_GRAPHQL_INTROSPECTION);
  }
  /** Distinct domains whose governance members must approve a policy (ADR 0010). */
  get policyQuorum(): number {
    return this.values.TESSERA_POLICY_QUORUM;
  }
  /** Cron of the periodic SLO evaluation; undefined when `off`. */
  get sloSchedule(): string | undefined {
    const v = this.values.TESSERA_SLO_SCHEDULE;
    return v === 'off' ? undefined : v;
  }
  get sloWindowMs(): number {
    return this.values.TESSERA_SLO_WINDOW_DAYS * 86_400_000;
  }
  get alertWebhooks(): string[] {
    return (this.values.TESSERA_ALERT_WEBHOOKS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
  }
  get alertWebhookSecret(): string | undefined {
    return this.values.TESSERA_ALERT_WEBHOOK_SECRET;
  }
  /** Secret of the PII masking HMAC; unset: generated into <dataDir>/pii-secret on first start. */
  get piiHmacSecret(): string | undefined {
    return this.values.TESSERA_PII_HMAC_SECRET;
  }
  /** PSI above which a feature or output counts as drifted (and alerts). */
  get driftPsiThreshold(): number {
    return this.values.TESSERA_DRIFT_PSI_THRESHOLD;
  }
  /** Window of prediction log rows the scheduled drift check compares with training. */
  get driftWindowMs(): number {
    return this.values.TESSERA_DRIFT_WINDOW_HOURS * 3_600_000;
  }
  get alertRetryBaseMs(): number {
    return this.values.TESSERA_ALERT_RETRY_BASE_MS;
  }
  /** Cron of scheduled data quality runs; undefined when set to off (ADR 0013). */
  get qualitySchedule(): string | undefined {
    const v = this.values.TESSERA_QUALITY_SCHEDULE;
    return ['off', 'false', '0'].includes(v) ? undefined : v;
  }
  /** statement_timeout of each quality rule statement. */
  get qualityTimeoutMs(): number {
    return this.values.TESSERA_QUALITY_TIMEOUT_MS;
  }
  /** Most entity rows one Arrow entity upload may carry (the JSON body limit does not apply to it). */
  get entityMaxRows(): number {
    return this.values.TESSERA_ENTITY_MAX_ROWS;
  }
  /** Most time an entity upload may send nothing while it holds a database connection (408 ENTITY_UPLOAD_STALLED). */
  get entityUploadIdleMs(): number {
    return this.values.TESSERA_ENTITY_UPLOAD_IDLE_MS;
  }
  /** Entity rows from which a training-dataset save or historical retrieval runs as a retrieval job (202). */
  get retrievalJobRows(): number {
    return this.values.TESSERA_RETRIEVAL_JOB_ROWS;
  }
  /** A running retrieval job without a heartbeat for this long is claimed by another replica. */
  get retrievalJobLeaseMs(): number {
    return this.values.TESSERA_RETRIEVAL_JOB_LEASE_MS;
  }
  /** Whether this replica runs retrieval jobs (false: it only accepts them; others run them). */
  get retrievalJobsRun(): boolean {
    return ['true', '1', 'on'].includes(this.values.TESSERA_RETRIEVAL_JOBS_RUN);
  }
  /** Entity rows joined per step of a retrieval job (progress, cancel checks and heartbeats between steps). */
  get retrievalJobChunkRows(): number {
    return this.values.TESSERA_RETRIEVAL_JOB_CHUNK_ROWS;
  }
  /** Rows per chunk of a materialization job: one cursor FETCH and one online write each. */
  /** NATS servers of the streaming sources; undefined: streaming is off. */
  get natsServers(): string[] | undefined {
    return this.values.NATS_URL?.split(',');
  }
  get streamBatchRows(): number {
    return this.values.TESSERA_STREAM_BATCH_ROWS;
  }
  get streamBatchWaitMs(): number {
    return this.values.TESSERA_STREAM_BATCH_WAIT_MS;
  }
  /** Models whose on-demand requests this process scores: 'all', or the listed names ([] when off). */
  get predictWorkers(): 'all' | string[] {
    const v = this.values.TESSERA_PREDICT_WORKERS;
    if (v === 'all') return 'all';
    return v === 'off' ? [] : v.split(',');
  }
  get predictBatchMax(): number {
    return this.values.TESSERA_PREDICT_BATCH_MAX;
  }
  get predictBatchWaitMs(): number {
    return this.values.TESSERA_PREDICT_BATCH_WAIT_MS;
  }
  get streamAckWaitMs(): number {
    return this.values.TESSERA_STREAM_ACK_WAIT_MS;
  }
  /** Width of a new offline table's partitions; 'none' keeps new tables unpartitioned. */
  get offlinePartitionGranularity(): 'none' | 'day' | 'week' | 'month' | 'year' {
    return this.values.TESSERA_OFFLINE_PARTITION_GRANULARITY;
  }
  /** Partitions that exist past the current bucket (created at table creation and by the maintainer). */
  get offlinePartitionsAhead(): number {
    return this.values.TESSERA_OFFLINE_PARTITIONS_AHEAD;
  }
  get offlinePartitionMaintenanceMs(): number {
    return this.values.TESSERA_OFFLINE_PARTITION_MAINTENANCE_MS;
  }
  /** Whether the maintainer drops partitions wholly past the contract's retention SLA. */
  get offlineRetentionDrop(): boolean {
    return ['true', '1', 'on'].includes(this.values.TESSERA_OFFLINE_RETENTION_DROP);
  }
  get materializeChunkRows(): number {
    return this.values.TESSERA_MATERIALIZE_CHUNK_ROWS;
  }
  /** Where OpenLineage run events go (full endpoint URL); undefined: lineage events are off. */
  get openLineage(): { url: string; apiKey?: string; namespace: string; retryBaseMs: number } | undefined {
    const base = this.values.OPENLINEAGE_URL;
    if (!base) return undefined;
    const url = new URL(this.values.OPENLINEAGE_ENDPOINT.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`).toString();
    return { url, apiKey: this.values.OPENLINEAGE_API_KEY, namespace: this.values.OPENLINEAGE_NAMESPACE, retryBaseMs: this.values.TESSERA_OPENLINEAGE_RETRY_BASE_MS };
  }
  /** The prediction log writer's tuning (ADR 0012); a batch never exceeds the buffer. */
  get predictionLog(): { maxBuffered: number; flushIntervalMs: number; batchSize: number; rateCacheMs: number } {
    const v = this.values;
    return {
      maxBuffered: v.TESSERA_PREDICTION_LOG_BUFFER,
      flushIntervalMs: v.TESSERA_PREDICTION_LOG_FLUSH_MS,
      batchSize: Math.min(v.TESSERA_PREDICTION_LOG_BATCH, v.TESSERA_PREDICTION_LOG_BUFFER),
      rateCacheMs: v.TESSERA_PREDICTION_LOG_RATE_CACHE_MS,
    };
  }
  /** Fewest usable rows a federated training participant may take part with (ADR 0033). */
  get federatedMinRows(): number {
    return this.values.TESSERA_FEDERATED_MIN_ROWS;
  }
  get batchScoringChunkRows(): number {
    return this.values.TESSERA_BATCH_SCORING_CHUNK_ROWS;
  }
  /** Whether this process claims and runs batch scoring jobs (any process still accepts them). */
  get batchScoringWorker(): boolean {
    return this.values.TESSERA_BATCH_SCORING_WORKER === 'on';
  }
  /** Longest graceful shutdown before the process exits anyway. */
  get shutdownTimeoutMs(): number {
    return this.values.TESSERA_SHUTDOWN_TIMEOUT_MS;
  }
  get logLevel(): RawConfig['LOG_LEVEL'] {
    return this.values.LOG_LEVEL;
  }

  /** Directory of contracts applied at start-up: explicit setting, else `contracts` in embedded mode. */
  get applyOnStartDir(): string | undefined {
    const v = this.values.TESSERA_APPLY_ON_START;
    if (v === 'false' || v === '0' || v === 'off') return undefined;
    if (v) return v;
    return this.embedded ? 'contracts' : undefined;
  }

  /** Why nothing is applied at start-up (for the log line that says so), or undefined when a directory is. */
  get applyOnStartSkippedBecause(): string | undefined {
    if (this.applyOnStartDir) return undefined;
    const v = this.values.TESSERA_APPLY_ON_START;
    if (v) return `TESSERA_APPLY_ON_START=${v}`;
    return 'DATABASE_URL is set and TESSERA_APPLY_ON_START is unset (set it to a directory, e.g. contracts, to apply one at start-up, or run `npm run tessera -- apply contracts`)';
  }
}
