// Tells this process that the engagements' data changed, wherever the change was made. Every command
// appends an event; a trigger on engagement_events sends a NOTIFY when its transaction commits, and
// one connection per process LISTENs. Changes made in this process also count at once, the moment
// their transaction commits, so a page that follows a person's own form never shows what was before.
import pg from 'pg';

export const CHANGE_CHANNEL = 'troika_changes';

/** Bumped by this process's own commits: shared by every feed in the process (tests run several apps). */
let localChanges = 0;

/** Called after a transaction that appended events has committed. */
export function noteLocalChange(): void {
  localChanges += 1;
}

export interface ChangeFeed {
  /**
   * A number that moves whenever a change may have committed, or null when changes made elsewhere
   * cannot be heard (not listening yet, or the connection dropped): then nothing may be reused.
   */
  generation(): number | null;
  stop(): Promise<void>;
}

const RETRY_MS = 1_000;

/** Listens on the database at url; reconnects after the server goes away (a restart, an outage). */
export function listenForChanges(url: string, log: (line: string) => void): ChangeFeed {
  let heard = 0;
  let client: pg.Client | null = null;
  let isListening = false;
  let isStopped = false;
  let retry: NodeJS.Timeout | undefined;

  const drop = (why: string) => {
    if (!isListening && !client) return;
    if (isListening) log(`change feed: ${why}; cached counts are not used until it is back`);
    isListening = false;
    const old = client;
    client = null;
    void old?.end().catch(() => {});
    if (!isStopped) retry = setTimeout(connect, RETRY_MS);
  };

  async function connect(): Promise<void> {
    if (isStopped) return;
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client = next;
    next.on('error', (error) => drop(error.message));
    next.on('end', () => drop('the connection ended'));
    next.on('notification', () => (heard += 1));
    try {
      await next.connect();
      await next.query(`listen ${CHANGE_CHANNEL}`);
      if (client !== next) return;
      // What was committed while nobody listened is unknown: everything cached before is stale.
      heard += 1;
      isListening = true;
    } catch (error) {
      if (client === next) drop(error instanceof Error ? error.message : String(error));
    }
  }
  void connect();

  return {
    generation: () => (isListening ? heard + localChanges : null),
    async stop() {
      isStopped = true;
      clearTimeout(retry);
      isListening = false;
      const old = client;
      client = null;
      await old?.end().catch(() => {});
    },
  };
}
