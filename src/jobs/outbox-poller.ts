// Takes an outbox's rows every few seconds until none is left: the notifier's and the webhook
// dispatcher's loop. One pass at a time per process; a drain asked for meanwhile waits for it.
export interface OutboxPoller {
  /** Takes everything waiting now. */
  drain(): Promise<void>;
  /** Stops the timer and waits for the pass in progress. */
  stop(): Promise<void>;
}

/** takeBatch handles one batch and says how many rows it took; 0 ends the pass. */
export function startOutboxPoller(name: string, takeBatch: () => Promise<number>, log: (line: string) => void, everyMs: number): OutboxPoller {
  let running: Promise<void> | null = null;
  const drain = async () => {
    while (running) await running;
    running = (async () => {
      while ((await takeBatch()) > 0);
    })().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void drain().catch((e) => log(`${name}: ${e instanceof Error ? e.message : e}`)), everyMs);
  timer.unref();
  return {
    drain,
    async stop() {
      clearInterval(timer);
      while (running) await running.catch(() => {});
    },
  };
}
