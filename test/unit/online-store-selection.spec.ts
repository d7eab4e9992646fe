import { createServer } from 'node:net';
import { TesseraConfig } from '../../src/config/tessera-config';
import { chooseOnlineBackend, probeTcp } from '../../src/features/online/online-store.provider';

describe('online store selection', () => {
  const config = (env: Record<string, string>) => TesseraConfig.fromEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/db', ...env });

  it('follows TESSERA_ONLINE_STORE when it is explicit', async () => {
    expect(await chooseOnlineBackend(config({ TESSERA_ONLINE_STORE: 'postgres', REDIS_URL: 'redis://127.0.0.1:6379' }))).toBe('postgres');
    expect(await chooseOnlineBackend(config({ TESSERA_ONLINE_STORE: 'redis' }))).toBe('redis');
  });

  it('auto: Redis when REDIS_URL or REDIS_CLUSTER_NODES is set, reachable or not', async () => {
    expect(await chooseOnlineBackend(config({ REDIS_URL: 'redis://127.0.0.1:1' }))).toBe('redis');
    expect(await chooseOnlineBackend(config({ REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2' }))).toBe('redis');
  });

  it('auto without configuration: Redis exactly when something answers on 127.0.0.1:6379', async () => {
    const local = await probeTcp('127.0.0.1', 6379, 200);
    expect(await chooseOnlineBackend(config({}))).toBe(local ? 'redis' : 'postgres');
  });

  it('hears a connection that completed while the event loop was blocked past the timeout', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const probe = probeTcp('127.0.0.1', port, 20);
      // A long synchronous stretch (start-up, a busy test process): the timeout and the connect are both due after it.
      const until = Date.now() + 150;
      while (Date.now() < until);
      expect(await probe).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('probes within its timeout', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    expect(await probeTcp('127.0.0.1', port, 200)).toBe(true);
    await new Promise<void>((r) => server.close(() => r()));
    const start = Date.now();
    expect(await probeTcp('127.0.0.1', port, 200)).toBe(false);
    // A blackholed address (TEST-NET-1) never answers: the timeout bounds the probe.
    expect(await probeTcp('192.0.2.1', 6379, 200)).toBe(false);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
