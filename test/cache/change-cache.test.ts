// The per-person cache of costly counts: reused only while nothing changed, never when the feed is deaf.
import { expect } from 'chai';
import { ChangeCache } from '../../src/cache/change-cache.ts';
import type { ChangeFeed } from '../../src/cache/change-feed.ts';

function feedAt(start: number | null): ChangeFeed & { set(g: number | null): void } {
  let generation = start;
  return { generation: () => generation, sessionGeneration: () => (generation === null ? null : String(generation)), set: (g) => (generation = g), stop: async () => {} };
}

describe('the change cache', () => {
  it('computes once while the generation and the stamp stay the same', async () => {
    const feed = feedAt(1);
    const cache = new ChangeCache<number>(feed);
    let runs = 0;
    const count = () => cache.get('vera', 'minute-1', async () => ++runs);
    expect([await count(), await count(), await count()]).to.deep.equal([1, 1, 1]);
    expect(runs).to.equal(1);
  });

  it('computes again after a change was heard, or when the stamp moved (a minute passed)', async () => {
    const feed = feedAt(1);
    const cache = new ChangeCache<number>(feed);
    let runs = 0;
    expect(await cache.get('vera', 'm1', async () => ++runs)).to.equal(1);
    feed.set(2);
    expect(await cache.get('vera', 'm1', async () => ++runs), 'after a change').to.equal(2);
    expect(await cache.get('vera', 'm2', async () => ++runs), 'in the next minute').to.equal(3);
    expect(await cache.get('igor', 'm2', async () => ++runs), 'another person has their own entry').to.equal(4);
  });

  it('reuses nothing while the feed cannot hear changes made elsewhere', async () => {
    const feed = feedAt(null);
    const cache = new ChangeCache<number>(feed);
    let runs = 0;
    await cache.get('vera', 'm1', async () => ++runs);
    await cache.get('vera', 'm1', async () => ++runs);
    expect(runs).to.equal(2);
    expect(await new ChangeCache<number>(undefined).get('vera', 'm1', async () => 7), 'no feed at all').to.equal(7);
  });

  it('shares one computation among requests that arrive together, and keeps no failure', async () => {
    const cache = new ChangeCache<number>(feedAt(1));
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const together = [1, 2, 3].map(() => cache.get('vera', 'm1', async () => (await gate, ++runs)));
    release();
    expect(await Promise.all(together)).to.deep.equal([1, 1, 1]);

    const failing = new ChangeCache<number>(feedAt(1));
    await failing.get('vera', 'm1', async () => { throw new Error('the database went away'); }).catch(() => {});
    expect(await failing.get('vera', 'm1', async () => 5), 'a failed computation is not remembered').to.equal(5);
  });

  it('forgets the least recently used entry beyond its size', async () => {
    const cache = new ChangeCache<string>(feedAt(1), 2);
    let runs = 0;
    const get = (key: string) => cache.get(key, 'm', async () => `${key}${++runs}`);
    await get('a');
    await get('b');
    await get('a'); // a is used again: b is now the oldest
    await get('c');
    expect(await get('a'), 'a was kept').to.equal('a1');
    expect(await get('b'), 'b was forgotten and computed again').to.equal('b4');
  });
});
