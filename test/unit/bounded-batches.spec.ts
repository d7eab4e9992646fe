import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { drainInBoundedBatches } from '../../src/common/async/bounded-batches';

/** Items arriving after the given gaps (ms). */
async function* arriving(gaps: number[]): AsyncGenerator<number> {
  for (const [i, gap] of gaps.entries()) {
    if (gap > 0) await sleep(gap);
    yield i;
  }
}

describe('drainInBoundedBatches (stream sources, on-demand workers)', () => {
  it('flushes every item once, in order, in batches of at most max', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(0, 0, 0, 1, 3), { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), async (gaps, max) => {
        const batches: number[][] = [];
        const filling: number[] = [];
        await drainInBoundedBatches(arriving(gaps), { max, waitMs: 2, running: () => true, flush: async (b) => void batches.push(b) }, filling);
        expect(batches.flat()).toEqual(gaps.map((_, i) => i));
        expect(batches.every((b) => b.length >= 1 && b.length <= max)).toBe(true);
        expect(filling).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('flushes an unfilled batch once its wait is over, without dropping the read in flight', async () => {
    const batches: number[][] = [];
    await drainInBoundedBatches(arriving([0, 0, 40, 0]), { max: 100, waitMs: 10, running: () => true, flush: async (b) => void batches.push(b) }, []);
    expect(batches).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('leaves the unflushed items in the caller’s array when a flush fails', async () => {
    const filling: number[] = [];
    await expect(drainInBoundedBatches(arriving([0, 0, 0]), { max: 2, waitMs: 5, running: () => true, flush: () => Promise.reject(new Error('store down')) }, filling)).rejects.toThrow('store down');
    expect(filling).toEqual([0, 1]);
  });

  it('stops taking items once running() is false, flushing what it holds', async () => {
    const batches: number[][] = [];
    let taken = 0;
    await drainInBoundedBatches(arriving([0, 0, 0, 0, 0]), { max: 10, waitMs: 50, running: () => taken++ < 3, flush: async (b) => void batches.push(b) }, []);
    expect(batches).toEqual([[0, 1, 2]]);
  });
});
