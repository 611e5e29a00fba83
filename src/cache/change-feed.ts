// Tells this process that the data changed, wherever the change was made. A row trigger on every
// table a page reads sends a NOTIFY when its transaction commits (PostgreSQL folds a transaction's
// identical notices into one), and one connection per process LISTENs. A session's row says which
// session moved ('s:<sid>'), so one person's new message does not throw away everyone's pages.
// Changes made in this process also count at once, the moment their transaction commits, so a page
// that follows a person's own form never shows what was before.
import pg from 'pg';

export const CHANGE_CHANNEL = 'troika_changes';

/** Bumped by this process's own commits: shared by every feed in the process (tests run several apps). */
let localChanges = 0;

/** Called after a transaction that appended events has committed. */
export function noteLocalChange(): void {
  localChanges += 1;
}

/**
 * How often each session was heard to change, this process's own saves included. Bounded: past the
 * limit it starts again under a new epoch, so no generation handed out before can come back.
 */
const sessionChanges = new Map<string, number>();
let sessionEpoch = 0;
const MAX_SESSIONS_TRACKED = 50_000;

function bumpSession(sid: string): void {
  if (sessionChanges.size >= MAX_SESSIONS_TRACKED && !sessionChanges.has(sid)) {
    sessionChanges.clear();
    sessionEpoch += 1;
  }
  sessionChanges.set(sid, (sessionChanges.get(sid) ?? 0) + 1);
}

/** Called when this process has stored or destroyed a session. */
export const noteLocalSessionChange = bumpSession;

export interface ChangeFeed {
  /**
   * A number that moves whenever a change may have committed, or null when changes made elsewhere
   * cannot be heard (not listening yet, or the connection dropped): then nothing may be reused.
   */
  generation(): number | null;
  /** The same for one session's contents: moves when that session is saved or destroyed anywhere. */
  sessionGeneration(sid: string): string | null;
  stop(): Promise<void>;
}

const RETRY_MS = 1_000;

/** Listens on the database at url; reconnects after the server goes away (a restart, an outage). */
export function listenForChanges(url: string, log: (line: string) => void): ChangeFeed {
  let heard = 0;
  /** Sessions changed while the connection was down are unknown: each reconnection starts their generations afresh. */
  let listenedSince = 0;
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
    next.on('notification', (notice) => (notice.payload?.startsWith('s:') ? bumpSession(notice.payload.slice(2)) : (heard += 1)));
    try {
      await next.connect();
      await next.query(`listen ${CHANGE_CHANNEL}`);
      if (client !== next) return;
      // What was committed while nobody listened is unknown: everything cached before is stale.
      heard += 1;
      listenedSince = heard;
      isListening = true;
    } catch (error) {
      if (client === next) drop(error instanceof Error ? error.message : String(error));
    }
  }
  void connect();

  return {
    generation: () => (isListening ? heard + localChanges : null),
    sessionGeneration: (sid) => (isListening ? `${listenedSince}/${sessionEpoch}/${sessionChanges.get(sid) ?? 0}` : null),
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
