import { readAhead } from '../../src/common/async/read-ahead';

/** A source that records what happened: items produced, whether its cleanup ran. */
function source(n: number, opts: { failAt?: number } = {}) {
  const log: string[] = [];
  async function* gen(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < n; i++) {
        await new Promise((r) => setTimeout(r, 1));
        if (i === opts.failAt) throw new Error(`source failed at ${i}`);
        log.push(`made ${i}`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }
  return { gen: gen(), log };
}

describe('readAhead', () => {
  it('yields every item in order and fetches the next one while the consumer works', async () => {
    const s = source(4);
    const seen: number[] = [];
    for await (const x of readAhead(s.gen)) {
      await new Promise((r) => setTimeout(r, 10)); // the consumer is slow: the next item is ready meanwhile
      s.log.push(`used ${x}`);
      seen.push(x);
    }
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(s.log).toEqual(['made 0', 'made 1', 'used 0', 'made 2', 'used 1', 'made 3', 'used 2', 'closed', 'used 3']); // the end is found while 3 is in use
  });

  it('never holds more than the item in use and the one in flight', async () => {
    const s = source(6);
    for await (const x of readAhead(s.gen)) {
      await new Promise((r) => setTimeout(r, 5));
      const made = s.log.filter((l) => l.startsWith('made')).length;
      expect(made).toBeLessThanOrEqual(x + 2);
      s.log.push(`used ${x}`);
    }
  });

  it('closes the source when the consumer stops early', async () => {
    const s = source(10);
    for await (const x of readAhead(s.gen)) if (x === 2) break;
    expect(s.log.at(-1)).toBe('closed');
    expect(s.log.filter((l) => l.startsWith('made'))).toEqual(['made 0', 'made 1', 'made 2', 'made 3']);
  });

  it('closes the source when the consumer throws, and passes the error on', async () => {
    const s = source(10);
    await expect(
      (async () => {
        for await (const x of readAhead(s.gen)) if (x === 1) throw new Error('consumer failed');
      })(),
    ).rejects.toThrow('consumer failed');
    expect(s.log.at(-1)).toBe('closed');
  });

  it("passes the source's failure on after the items before it", async () => {
    const s = source(10, { failAt: 3 });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of readAhead(s.gen)) seen.push(x);
      })(),
    ).rejects.toThrow('source failed at 3');
    expect(seen).toEqual([0, 1, 2]);
    expect(s.log.at(-1)).toBe('closed');
  });
});
