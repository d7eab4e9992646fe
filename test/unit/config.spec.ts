import { ConfigError, TesseraConfig } from '../../src/config/tessera-config';

describe('TesseraConfig', () => {
  it('defaults to port 3000 and the embedded database', () => {
    const c = TesseraConfig.fromEnv({});
    expect(c.port).toBe(3000);
    expect(c.embedded).toBe(true);
    expect(c.applyOnStartDir).toBe('contracts');
  });

  it('uses DATABASE_URL and applies nothing at start-up by default then', () => {
    const c = TesseraConfig.fromEnv({ DATABASE_URL: 'postgres://u@h:5432/db', PORT: '8080' });
    expect(c.embedded).toBe(false);
    expect(c.databaseUrl).toBe('postgres://u@h:5432/db');
    expect(c.port).toBe(8080);
    expect(c.applyOnStartDir).toBeUndefined();
    expect(c.applyOnStartSkippedBecause).toMatch(/^DATABASE_URL is set and TESSERA_APPLY_ON_START is unset/);
    expect(TesseraConfig.fromEnv({ DATABASE_URL: 'postgres://u@h:5432/db', TESSERA_APPLY_ON_START: 'contracts' }).applyOnStartSkippedBecause).toBeUndefined();
  });

  it('names every bad variable in one message', () => {
    let error: unknown;
    try {
      TesseraConfig.fromEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TESSERA_ADMIN_KEY: 'short', REDIS_CLUSTER_NODES: 'a,b' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.problems).toHaveLength(4);
    expect(e.message).toMatch(/PORT: /);
    expect(e.message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(e.message).toMatch(/TESSERA_ADMIN_KEY: must be at least 16/);
    expect(e.message).toMatch(/REDIS_CLUSTER_NODES: must be a comma-separated list/);
  });

  it('treats empty variables as unset and turns start-up apply off on request', () => {
    const c = TesseraConfig.fromEnv({ DATABASE_URL: '', TESSERA_APPLY_ON_START: 'false' });
    expect(c.embedded).toBe(true);
    expect(c.applyOnStartDir).toBeUndefined();
    expect(c.applyOnStartSkippedBecause).toBe('TESSERA_APPLY_ON_START=false');
  });
});
