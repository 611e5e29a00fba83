// `npm run worker` killed with SIGKILL in the middle of sending an e-mail: the job's heartbeat
// stops, pg-boss retries it on the next worker, and the message arrives exactly once.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement } from '../helpers/factories.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.ts';
import { startJobSender } from '../../src/jobs/job-sender.ts';
import { JOB_SCHEMA } from '../../src/jobs/queues.ts';
import { notifyPendingEvents } from '../../src/notifications/notifier.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';

async function until(what: string, check: () => boolean | Promise<boolean>, ms: number, output: () => string): Promise<void> {
  for (const end = Date.now() + ms; !(await check()); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${output()}`);
  }
}

describe('a worker killed mid-send', function () {
  this.timeout(240_000);
  let db: TestDatabase;
  let receiver: SmtpReceiver;
  let mailDir: string;
  const workers: ChildProcess[] = [];
  let output = '';

  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: db.url, SMTP_URL: `smtp://127.0.0.1:${receiver.port}`, TROIKA_SMTP_CA_FILE: receiver.caFile, TROIKA_MAIL_DIR: mailDir, TROIKA_BASE_URL: 'http://troika.test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    workers.push(child);
    return child;
  };

  before(async () => {
    db = await createTestDatabase();
    receiver = await startSmtpReceiver({ holdFirstRecipients: 1 });
    mailDir = mkdtempSync(join(tmpdir(), 'troika-worker-mail-'));
  });
  after(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await receiver.close();
    await db.drop();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('retries the job on another worker and the message arrives exactly once', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps);
    while ((await notifyPendingEvents(deps)) > 0); // the set-up's own notifications, without e-mail
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, stageId: 'preparation', role: 'staff' }, { orderBy: { position: 'asc' } });
    const first = startWorker();
    await until('the first worker', () => /working:/.test(output), 60_000, () => output);

    await assignTask(deps, cast.consultant.id, engagementId, task.id, { assigneeId: cast.staff[0]!.id });
    const sender = await startJobSender(db.url, () => {});
    try {
      while ((await notifyPendingEvents({ ...deps, jobs: sender })) > 0);
    } finally {
      await sender.stop();
    }
    await until('the send to hang at RCPT TO', () => receiver.held === 1, 30_000, () => output);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    startWorker();
    await until('the message to arrive from the second worker', () => receiver.received.length === 1, 180_000, () => output);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.received.length, 'exactly once').to.equal(1);
    expect(receiver.received[0]!.to).to.deep.equal([cast.staff[0]!.email]);
    const [job] = (await db.orm.em.fork().getConnection().execute(`select state, retry_count from ${JOB_SCHEMA}.job where name = 'notification-mail'`)) as { state: string; retry_count: number }[];
    expect(job).to.deep.include({ state: 'completed' });
    expect(job!.retry_count, 'it was a retry that sent it').to.be.at.least(1);
  });
});
