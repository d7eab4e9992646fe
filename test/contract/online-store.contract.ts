import { InvalidKeyValueError } from '../../src/features/online/entity-key-codec';
import type { OnlineStore, OnlineWriteRow } from '../../src/features/online/online-store';
import { at, col, testView } from './online-test-views';

/**
 * The behaviour every OnlineStore must have, registered once per implementation (Feast's approach):
 * `open` gives a store over a real backend with a fresh namespace, `close` releases it.
 * Each test starts from an empty store (deleteAll).
 */
export function onlineStoreContract(open: () => Promise<OnlineStore>, close: (store: OnlineStore) => Promise<void>): void {
  let store: OnlineStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.deleteAll();
    await close(store);
  });
  beforeEach(() => store.deleteAll());

  const stats = testView({ name: 'driver_stats' });
  const row = (id: unknown, event: string, values: unknown[], created: string | null = null): OnlineWriteRow => ({ keys: [id], eventTs: at(event), createdTs: created ? at(created) : null, values });
  const readOne = async (view = stats, ids: unknown[] = [1], idx = view.features.map((_, i) => i)) => (await store.read([{ view, featureIndexes: idx, entityKeys: ids.map((k) => [k]) }]))[0];

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('round-trips integers, floats, booleans, strings, nulls and timestamps', async () => {
    const types = testView({
      name: 'typed',
      features: [
        col('i', 'integer'),
        col('big', 'integer'),
        col('f', 'number'),
        col('b', 'boolean'),
        col('s', 'string'),
        col('n', 'string'),
        col('ts', 'timestamp'),
        col('d', 'date'),
        col('nan', 'number'),
        col('neg', 'integer'),
        col('obj', 'object'),
      ],
    });
    const values = [42, 2n ** 63n - 1n, 0.1 + 0.2, false, 'a|b{c}"d\\e 日本', null, at('2024-02-29T23:59:59.123Z'), '2024-02-29', Number.NaN, -7, { nested: [1, 'x'] }];
    expect(await store.write(types, [row(7, '2024-03-01T00:00:00Z', values)])).toBe(1);
    const [entry] = await readOne(types, [7]);
    expect(entry).not.toBeNull();
    expect(entry!.eventTs).toEqual(at('2024-03-01T00:00:00Z'));
    expect(entry!.values).toEqual(values);
    expect(typeof entry!.values[0]).toBe('number');
    expect(typeof entry!.values[1]).toBe('bigint');
    expect(entry!.values[6]).toBeInstanceOf(Date);
  });

  it('returns null for entities it does not hold, in request order, duplicates included', async () => {
    await store.write(stats, [row(1, '2024-01-01T00:00:00Z', [0.5, 3]), row(3, '2024-01-01T00:00:00Z', [0.7, 9])]);
    const entries = await readOne(stats, [3, 2, 1, 3]);
    expect(entries.map((e) => e?.values ?? null)).toEqual([[0.7, 9], null, [0.5, 3], [0.7, 9]]);
  });

  it('reads several views, each with its own keys and feature subset, in one call', async () => {
    const customer = testView({ name: 'customer_stats', joinKeys: [col('customer_id', 'string')], features: [col('spend', 'number'), col('segment', 'string'), col('orders', 'integer')] });
    await store.write(stats, [row(1, '2024-01-01T00:00:00Z', [0.5, 3])]);
    await store.write(customer, [row('c-1', '2024-01-02T00:00:00Z', [12.5, 'gold', 4])]);
    const [a, b] = await store.read([
      { view: stats, featureIndexes: [1], entityKeys: [[1], [2]] },
      { view: customer, featureIndexes: [2, 0], entityKeys: [['c-1']] },
    ]);
    expect(a.map((e) => e?.values ?? null)).toEqual([[3], null]);
    expect(b).toEqual([{ values: [4, 12.5], eventTs: at('2024-01-02T00:00:00Z') }]);
  });

  it('reads the same entries as bytes (stores that keep them): decoded, they are what read() answers', async () => {
    if (!store.readBytes || !store.decodeBytes) {
      expect(store.kind).toBe('postgres'); // the PostgreSQL store keeps no JSON text
      return;
    }
    const customer = testView({ name: 'customer_stats', joinKeys: [col('customer_id', 'string')], features: [col('spend', 'number'), col('segment', 'string'), col('orders', 'integer')] });
    await store.write(stats, [row(1, '2024-01-01T00:00:00Z', [0.5, 3]), row(7, '2024-01-01T00:00:00Z', [null, 8])]);
    await store.write(customer, [row('c-1', '2024-01-02T00:00:00Z', [12.5, 'gold', 4])]);
    // Many keys: on a cluster they spread over slots, and each MGET per slot must land in request order.
    const ids = Array.from({ length: 40 }, (_, i) => [i % 9]);
    const requests = [
      { view: stats, featureIndexes: [1, 0], entityKeys: ids },
      { view: customer, featureIndexes: [2, 0, 1], entityKeys: [['c-1'], ['c-2']] },
    ];
    const bytes = await store.readBytes(requests);
    expect(bytes.map((b) => b.length)).toEqual([40, 2]);
    expect(bytes[0][1]!.toString('utf8')).toMatch(/^\d+\|\|[\w-]+\|\[0\.5,3\]$/);
    expect(store.decodeBytes(requests, bytes)).toEqual(await store.read(requests));
  });

  it('keeps views of the same entity apart', async () => {
    const other = testView({ name: 'driver_other' });
    await store.write(stats, [row(1, '2024-01-01T00:00:00Z', [0.1, 1])]);
    await store.write(other, [row(1, '2024-01-01T00:00:00Z', [0.2, 2])]);
    const [a, b] = await store.read([
      { view: stats, featureIndexes: [0, 1], entityKeys: [[1]] },
      { view: other, featureIndexes: [0, 1], entityKeys: [[1]] },
    ]);
    expect([a[0]?.values, b[0]?.values]).toEqual([
      [0.1, 1],
      [0.2, 2],
    ]);
  });

  it('writes only rows newer than what it holds: event ts first, then created ts', async () => {
    expect(await store.write(stats, [row(1, '2024-01-02T00:00:00Z', [0.2, 2], '2024-01-02T01:00:00Z')])).toBe(1);
    expect(await store.write(stats, [row(1, '2024-01-01T00:00:00Z', [0.1, 1], '2024-01-05T00:00:00Z')])).toBe(0); // older event, later created
    expect((await readOne())[0]?.values).toEqual([0.2, 2]);
    expect(await store.write(stats, [row(1, '2024-01-02T00:00:00Z', [0.3, 3], '2024-01-02T00:30:00Z')])).toBe(0); // same event, earlier created
    expect(await store.write(stats, [row(1, '2024-01-02T00:00:00Z', [0.4, 4], null)])).toBe(0); // a missing created ts is the oldest
    expect(await store.write(stats, [row(1, '2024-01-02T00:00:00Z', [0.2, 2], '2024-01-02T01:00:00Z')])).toBe(0); // the same row again
    expect(await store.write(stats, [row(1, '2024-01-02T00:00:00Z', [0.5, 5], '2024-01-02T02:00:00Z')])).toBe(1); // same event, later created
    expect((await readOne())[0]?.values).toEqual([0.5, 5]);
    expect(await store.write(stats, [row(1, '2024-01-03T00:00:00Z', [0.6, 6], null)])).toBe(1); // later event wins whatever created says
    expect((await readOne())[0]).toEqual({ values: [0.6, 6], eventTs: at('2024-01-03T00:00:00Z') });
  });

  it('lets a created ts beat a missing one at the same event ts', async () => {
    await store.write(stats, [row(1, '2024-01-02T00:00:00Z', [0.1, 1], null)]);
    expect(await store.write(stats, [row(1, '2024-01-02T00:00:00Z', [0.2, 2], '2020-01-01T00:00:00Z')])).toBe(1);
    expect((await readOne())[0]?.values).toEqual([0.2, 2]);
  });

  it('keeps the newest of duplicate entity rows within one write, whatever their order', async () => {
    await store.write(stats, [row(1, '2024-01-03T00:00:00Z', [0.3, 3]), row(1, '2024-01-01T00:00:00Z', [0.1, 1]), row(2, '2024-01-01T00:00:00Z', [0.1, 1]), row(2, '2024-01-04T00:00:00Z', [0.4, 4])]);
    expect((await readOne(stats, [1, 2])).map((e) => e?.values)).toEqual([
      [0.3, 3],
      [0.4, 4],
    ]);
  });

  it('canonicalizes keys by type and keeps separator characters unambiguous', async () => {
    const composite = testView({ name: 'pair', joinKeys: [col('b_key', 'string'), col('a_key', 'integer')], features: [col('x', 'integer')] });
    await store.write(composite, [
      { keys: ['x,a_key=2', 1], eventTs: at('2024-01-01T00:00:00Z'), createdTs: null, values: [1] },
      { keys: ['x', 2], eventTs: at('2024-01-01T00:00:00Z'), createdTs: null, values: [2] },
      { keys: ['{x}%', 3], eventTs: at('2024-01-01T00:00:00Z'), createdTs: null, values: [3] },
    ]);
    const [entries] = await store.read([
      {
        view: composite,
        featureIndexes: [0],
        entityKeys: [
          ['x,a_key=2', '1'],
          ['x', 2],
          ['x', 1],
          ['{x}%', 3],
        ],
      },
    ]);
    expect(entries.map((e) => e?.values[0] ?? null)).toEqual([1, 2, null, 3]);
  });

  it('refuses a key value that does not fit the key type, naming the key', async () => {
    await expect(readOne(stats, ['abc'])).rejects.toThrow(InvalidKeyValueError);
    await expect(readOne(stats, [1.5])).rejects.toThrow('join key driver_id: 1.5 is not a valid integer');
  });

  it('expires entries at event ts + ttl and skips rows already past it', async () => {
    const short = testView({ name: 'short_lived', ttlSeconds: 2 });
    const fresh = new Date(Date.now() - 1000); // expires in ~1 s
    expect(await store.write(short, [{ keys: [1], eventTs: fresh, createdTs: null, values: [0.1, 1] }])).toBe(1);
    expect(await store.write(short, [{ keys: [2], eventTs: new Date(Date.now() - 5000), createdTs: null, values: [0.2, 2] }])).toBe(0);
    expect((await readOne(short, [1, 2])).map((e) => e?.values ?? null)).toEqual([[0.1, 1], null]);
    await new Promise((r) => setTimeout(r, fresh.getTime() + 2000 - Date.now() + 100));
    expect(await readOne(short, [1])).toEqual([null]);
    // An expired entry is gone: an older (but unexpired under a longer ttl) row may take its place.
    const longer = testView({ name: 'short_lived', ttlSeconds: 3600 });
    expect(await store.write(longer, [{ keys: [1], eventTs: new Date(fresh.getTime() - 60_000), createdTs: null, values: [0.3, 3] }])).toBe(1);
  });

  it('serves vectors written before features were appended, reporting the new ones as absent', async () => {
    const grown = testView({ name: 'driver_stats', features: [...stats.features, col('rating', 'number')] });
    await store.write(stats, [row(1, '2024-01-01T00:00:00Z', [0.5, 3])]);
    const [entry] = await readOne(grown, [1]);
    expect(entry?.values).toEqual([0.5, 3, undefined]);
    // Re-materializing the same row with the grown layout replaces it although it is not newer.
    expect(await store.write(grown, [row(1, '2024-01-01T00:00:00Z', [0.5, 3, 4.9])])).toBe(1);
    expect((await readOne(grown, [1]))[0]?.values).toEqual([0.5, 3, 4.9]);
    // ...but an older row never replaces a newer one, whatever its layout.
    await store.write(stats, [row(2, '2024-01-05T00:00:00Z', [0.9, 9])]);
    expect(await store.write(grown, [row(2, '2024-01-01T00:00:00Z', [0.1, 1, 1.1])])).toBe(0);
  });

  it('writes and reads thousands of entities (several write batches)', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => row(i, '2024-01-01T00:00:00Z', [i / 10, i]));
    expect(await store.write(stats, rows)).toBe(2500);
    const ids = Array.from({ length: 2500 }, (_, i) => 2499 - i);
    const entries = await readOne(stats, ids, [1]);
    expect(entries.map((e) => e?.values[0])).toEqual(ids);
  });

  it('deletes everything it holds', async () => {
    await store.write(stats, [row(1, '2024-01-01T00:00:00Z', [0.5, 3])]);
    await store.deleteAll();
    expect(await readOne()).toEqual([null]);
  });
}
