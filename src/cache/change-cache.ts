// Values that are costly to compute and change only when the data does: the top bar's count of
// what waits for a person, read on every page. An entry is reused while the change feed's generation
// (and the caller's stamp, e.g. the minute for deadlines) stays the same; concurrent requests for a
// missing entry share one computation.
import type { ChangeFeed } from './change-feed.ts';

/** The stamp of things that change as time passes (a deadline is passed): the current minute. */
export const minuteStamp = (clock: () => Date): string => String(Math.floor(clock().getTime() / 60_000));

interface Entry<V> {
  generation: number;
  stamp: string;
  value: Promise<V>;
}

export class ChangeCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly feed: ChangeFeed | undefined,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, stamp: string, compute: () => Promise<V>): Promise<V> {
    // The generation is read before computing: a change committed meanwhile moves it, so the entry
    // made now is already outdated for the next request, and it recomputes.
    const generation = this.feed?.generation() ?? null;
    if (generation === null) return compute();
    const found = this.entries.get(key);
    if (found && found.generation === generation && found.stamp === stamp) {
      this.entries.delete(key); // re-inserted last: the Map's order is the order of use
      this.entries.set(key, found);
      return found.value;
    }
    const value = compute();
    const entry = { generation, stamp, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}
