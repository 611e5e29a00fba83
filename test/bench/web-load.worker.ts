// The web benchmark's load generator, in a process of its own so it never shares an event loop with
// the seeding code or the app: it receives one load description, runs autocannon, sends the figures back.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

export interface AssignTarget {
  engagementId: string;
  taskId: string;
  assigneeIds: [string, string];
}

export interface LoadRequest {
  url: string;
  path: string;
  cookie: string;
  connections: number;
  /** Seconds to run; ignored when `amount` is given. */
  seconds?: number;
  /** Exactly this many requests, for the memory checkpoints. */
  amount?: number;
  /** A POST mix: each request assigns one of these tasks to the other of its two staff members. */
  assign?: { csrf: string; targets: AssignTarget[] };
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function assignRequests(load: LoadRequest): autocannon.Request[] {
  const { csrf, targets } = load.assign!;
  let turn = 0;
  return [
    {
      method: 'POST',
      setupRequest: (req) => {
        const n = turn++;
        const target = targets[n % targets.length]!;
        // Each task goes back and forth between its two staff members, so every command changes something.
        const assigneeId = target.assigneeIds[Math.floor(n / targets.length) % 2]!;
        const body = new URLSearchParams({ _csrf: csrf, _once: randomUUID(), assigneeId }).toString();
        return { ...req, path: `/engagements/${target.engagementId}/tasks/${target.taskId}/assign`, body };
      },
    },
  ];
}

async function run(load: LoadRequest): Promise<LoadResult> {
  const headers: Record<string, string> = { cookie: load.cookie };
  if (load.assign) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', origin: load.url, referer: `${load.url}/` });
  const result = await autocannon({
    url: load.url + load.path,
    connections: load.connections,
    ...(load.amount ? { amount: load.amount } : { duration: load.seconds ?? 10 }),
    headers,
    ...(load.assign ? { requests: assignRequests(load) } : {}),
  });
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    requests: total,
    // Answers over the run's own length: autocannon's per-second average misses a last partial second.
    perSecond: total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // Anything but a page or a redirect is an error, and so is a request that got no answer.
    errors: result['4xx'] + result['5xx'] + result.errors + result.timeouts,
  };
}

process.on('message', (load: LoadRequest) => {
  run(load).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
  );
});
