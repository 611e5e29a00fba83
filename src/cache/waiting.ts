// "Waiting for me" as the pages read it: the list and the top bar's count, kept per person until the
// data changes (or the minute does, for deadlines). A consultant of a thousand engagements would
// otherwise read every one of them on every page.
import { ChangeCache, minuteStamp } from './change-cache.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { ServiceDeps } from '../engagement/command.ts';
import { countWaitingForMe, readWaitingRows, waitingItems, type WaitingItem, type WaitingRows } from '../queue/waiting.queries.ts';

type Language = 'en' | 'ru';

export interface WaitingReader {
  list(userId: string, language: Language, only?: { engagementId: string }): Promise<WaitingItem[]>;
  count(userId: string): Promise<number>;
}

const readers = new WeakMap<ChangeFeed, WaitingReader>();

/** One reader per change feed (per web process); without a feed every call reads the database. */
export function waitingReader(deps: ServiceDeps & { changes?: ChangeFeed }): WaitingReader {
  const found = deps.changes && readers.get(deps.changes);
  if (found) return found;
  const lists = new ChangeCache<WaitingRows>(deps.changes, 2_000);
  const counts = new ChangeCache<number>(deps.changes);
  const minute = () => minuteStamp(deps.clock);
  const reader: WaitingReader = {
    async list(userId, language, only) {
      const rows = await lists.get(`${userId}/${only?.engagementId ?? '*'}`, minute(), () => readWaitingRows(deps, userId, only));
      return waitingItems(rows, language, deps.clock());
    },
    count: (userId) => counts.get(userId, minute(), () => countWaitingForMe(deps, userId)),
  };
  if (deps.changes) readers.set(deps.changes, reader);
  return reader;
}
