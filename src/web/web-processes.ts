// Several web processes on one port (node:cluster), all on one PostgreSQL. The primary owns the
// database (it started the embedded one and ran the migrations); each worker only serves HTTP.
// Sessions, sign-in limits, form keys and engagement locks live in PostgreSQL, so any worker can
// answer any request.
//
// Between them: a worker says "hello" once it listens for messages, the primary answers with the
// database's address (over the IPC channel, never in the environment, where the PDF browser a
// worker starts would inherit it), and later asks it to "drain" for a shutdown.
import cluster, { type Worker } from 'node:cluster';
import { SHUTDOWN_GRACE_MS } from './web-server.ts';

export type ToWorker = { type: 'start'; databaseUrl: string } | { type: 'drain' };
export type FromWorker = { type: 'hello' };

export interface WebProcesses {
  port: number;
  /** Asks every worker to drain, waits for them to exit (bounded), and ends any that will not. */
  stop(): Promise<void>;
}

export interface WebProcessOptions {
  count: number;
  databaseUrl: string;
  log: (line: string) => void;
  /** Workers keep failing to start after a restart: the primary cannot serve and should stop. */
  onFatal: (reason: string) => void;
}

/** A worker that lived less than this before dying is restarted after a pause, so a crash loop does not spin. */
const QUICK_DEATH_MS = 5_000;
const RESTART_PAUSE_MS = 1_000;
/** Replacements in a row that die before they listen: then something is wrong that a restart will not fix. */
const FAILED_STARTS_ALLOWED = 3;

export async function startWebProcesses(options: WebProcessOptions): Promise<WebProcesses> {
  const { log } = options;
  let isStopping = false;
  let hasStarted = false;
  let failedStarts = 0;
  const listening = new Set<Worker>();
  const exited = new Map<Worker, Promise<void>>();

  const fork = (): Promise<number> => {
    const worker = cluster.fork();
    const startedAt = Date.now();
    exited.set(worker, new Promise((done) => worker.once('exit', () => done())));
    worker.on('message', (message: FromWorker) => {
      if (message?.type === 'hello') worker.send({ type: 'start', databaseUrl: options.databaseUrl } satisfies ToWorker);
    });
    const port = new Promise<number>((done, fail) => {
      worker.once('listening', (address) => {
        listening.add(worker);
        failedStarts = 0;
        done(address.port);
      });
      worker.once('exit', (code, signal) => {
        exited.delete(worker);
        const wasListening = listening.delete(worker);
        const how = signal ? `killed by ${signal}` : `exit code ${code}`;
        if (!wasListening) fail(new Error(`a web process ended before it listened (${how})`));
        if (isStopping) return;
        if (!wasListening && !hasStarted) return; // the start fails as a whole, through fail() above
        if (!wasListening && ++failedStarts > FAILED_STARTS_ALLOWED) {
          options.onFatal(`web processes keep ending before they listen (${how}); see the lines above`);
          return;
        }
        log(`web process ${worker.process.pid} ended unexpectedly (${how}); starting another`);
        const pause = Date.now() - startedAt < QUICK_DEATH_MS ? RESTART_PAUSE_MS : 0;
        setTimeout(() => {
          if (!isStopping) fork().catch(() => {}); // its own exit is handled here again
        }, pause);
      });
    });
    return port;
  };

  let ports: number[];
  try {
    ports = await Promise.all(Array.from({ length: options.count }, fork));
    hasStarted = true;
  } catch (error) {
    isStopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    await Promise.all(exited.values());
    throw error;
  }

  return {
    port: ports[0]!,
    async stop() {
      isStopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      for (const worker of workers) if (worker.isConnected()) worker.send({ type: 'drain' } satisfies ToWorker);
      // A worker drains within the grace period; one that does not answer by then is ended.
      const deadline = setTimeout(() => {
        for (const worker of workers) if (!worker.isDead()) {
          log(`web process ${worker.process.pid} did not stop in time; ending it`);
          worker.process.kill('SIGKILL');
        }
      }, SHUTDOWN_GRACE_MS + 5_000);
      await Promise.all(exited.values());
      clearTimeout(deadline);
    },
  };
}

/** In a worker: waits for the primary's database address. */
export function receiveDatabaseUrl(): Promise<string> {
  return new Promise((done) => {
    const onMessage = (message: ToWorker) => {
      if (message?.type !== 'start') return;
      process.off('message', onMessage);
      done(message.databaseUrl);
    };
    process.on('message', onMessage);
    // The primary may be gone already (killed while this worker started): then there is nothing to serve for.
    process.send!({ type: 'hello' } satisfies FromWorker, undefined, {}, (error) => {
      if (error) process.exit(1);
    });
  });
}

/** In a worker: calls back once when the primary asks for a drain. */
export function onDrainRequest(drain: () => void): void {
  process.on('message', (message: ToWorker) => {
    if (message?.type === 'drain') drain();
  });
}
