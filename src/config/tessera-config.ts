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
}
