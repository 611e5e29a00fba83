// Notification e-mail and reminders on the job queue, received by a real SMTP server: the message
// in the recipient's language with a one-click unsubscribe that works; the clock moved across a
// weekend reminds exactly on working days; a failed command sends nothing; two workers send once.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useWebApp, parseMail, WebClient, type ReadMail } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.ts';
import { createSmtpMailer, type SmtpMailer } from '../../src/mail/smtp-mailer.ts';
import { parseSmtpUrl, type SmtpSettings } from '../../src/mail/smtp-url.ts';
import { startJobRunner, type JobRunner } from '../../src/jobs/job-runner.ts';
import { startJobSender, type JobSender } from '../../src/jobs/job-sender.ts';
import { JOB_SCHEMA } from '../../src/jobs/queues.ts';
import { notifyPendingEvents } from '../../src/notifications/notifier.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { runCommand } from '../../src/engagement/command.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { sendDueReminders } from '../../src/reminders/reminder-scan.ts';
import { sendDigests } from '../../src/notifications/mail-jobs.ts';
import { savePreferences } from '../../src/notifications/preferences.ts';
import { setEngagementTimeZone } from '../../src/reminders/time-zone.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import type { Orm } from '../../src/db/orm.ts';

const BASE = 'http://troika.test';

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check()); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notification e-mail and reminders on the job queue', function () {
  this.timeout(120_000);
  const s = useWebApp();
  let receiver: SmtpReceiver;
  let outbox: string;
  let mailers: SmtpMailer[];
  let runners: JobRunner[];
  let sender: JobSender;
  let logs: string[];

  const deps = () => s.app.deps;
  const mails = (): (ReadMail & { raw: string })[] => receiver.received.map((r) => ({ ...parseMail(r.raw), raw: r.raw }));
  const header = (raw: string, name: string) => new RegExp(`^${name}:(.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? null;
  const sql = <T>(orm: Orm, q: string, p: unknown[] = []) => orm.em.fork().getConnection().execute(q, p) as Promise<T[]>;
  const startRunner = async (orm: Orm) => {
    const settings = parseSmtpUrl(`smtp://troika:secret@127.0.0.1:${receiver.port}`) as SmtpSettings;
    const mailer = createSmtpMailer({ settings, from: 'Troika <troika@example.com>', outbox, ca: receiver.ca, log: (l) => logs.push(l), sweepEveryMs: 3_600_000 });
    mailers.push(mailer);
    const runner = await startJobRunner({ url: s.db.url, orm, log: (l) => logs.push(l), clock: deps().clock, methodologies: deps().methodologies, mailer, baseUrl: BASE, pollingIntervalSeconds: 1 });
    runners.push(runner);
    return runner;
  };
  const notifyAll = async () => {
    while ((await notifyPendingEvents({ ...deps(), jobs: sender })) > 0);
  };
  const openTasks = async (n: number) => (await s.db.orm.em.fork().find(Task, { engagement: s.engagementId, stageId: 'preparation', role: 'staff' }, { orderBy: { position: 'asc' }, limit: n }));
  const mailJobs = async () => Number((await sql<{ n: number }>(s.db.orm, `select count(*)::int as n from ${JOB_SCHEMA}.job where name = 'notification-mail'`))[0]!.n);

  beforeEach(async () => {
    receiver = await startSmtpReceiver({ user: 'troika', pass: 'secret' });
    outbox = mkdtempSync(join(tmpdir(), 'troika-outbox-'));
    [mailers, runners, logs] = [[], [], []];
    sender = await startJobSender(s.db.url, (l) => logs.push(l));
    // The engagement's set-up (people added, "invited") is told in the inbox before the test: its mail is not what is counted.
    while ((await notifyPendingEvents(deps())) > 0);
  });
  afterEach(async () => {
    for (const r of runners) await r.stop();
    await sender.stop();
    for (const m of mailers) await m.close();
    await receiver.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('mails an assignment at once in the Russian of the assignee, with a link to it and a one-click unsubscribe that turns the kind off without signing in', async () => {
    const [sales] = s.cast.staff;
    await sql(s.db.orm, `update users set locale = 'ru' where id = ?`, [sales!.id]);
    await startRunner(s.db.orm);
    const [first, second] = await openTasks(2);
    await assignTask(deps(), s.cast.consultant.id, s.engagementId, first!.id, { assigneeId: sales!.id });
    await notifyAll();
    await until('the e-mail', () => receiver.received.length === 1);

    const [mail] = mails();
    expect(receiver.received[0]!.to).to.deep.equal([sales!.email]);
    expect(header(mail!.raw, 'Content-Language')).to.equal('ru');
    expect(mail!.subject).to.match(/^Вам поручена задача: .+ · Kolosok Bakery$/);
    const [entry] = await sql<{ id: string }>(s.db.orm, `select id from notifications where user_id = ? and kind = 'taskAssigned'`, [sales!.id]);
    expect(mail!.body).to.contain(`${BASE}/notifications/${entry!.id}/open`);
    expect(mail!.html).to.contain(`<a href="${BASE}/notifications/${entry!.id}/open">`);
    const unsubscribe = /^<(http:\/\/troika\.test\/unsubscribe\/[^>]+)>$/.exec(header(mail!.raw, 'List-Unsubscribe') ?? '')?.[1];
    expect(unsubscribe, 'List-Unsubscribe names the signed address').to.be.a('string');
    expect(header(mail!.raw, 'List-Unsubscribe-Post')).to.equal('List-Unsubscribe=One-Click');
    expect(mail!.body, 'the text part offers the same address').to.contain(unsubscribe);

    // The mail program's one-click POST: no session, no CSRF token, the RFC 8058 body.
    const path = new URL(unsubscribe!).pathname;
    const stranger = new WebClient(s.app.url);
    const forged = await stranger.post(path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { 'List-Unsubscribe': 'One-Click' }, { csrf: false });
    expect(forged.status, 'a changed signature is refused').to.equal(404);
    const confirm = await stranger.get(path);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Больше не присылать письма и уведомления этого вида: Мне назначили задачу?');
    const done = await stranger.post(path, { 'List-Unsubscribe': 'One-Click' }, { csrf: false });
    expect(done.status).to.equal(200);
    expect(done.text).to.contain('id="unsubscribed"');
    const [pref] = await sql<{ mode: string }>(s.db.orm, `select mode from notification_preferences where user_id = ? and kind = 'taskAssigned'`, [sales!.id]);
    expect(pref?.mode).to.equal('off');

    await assignTask(deps(), s.cast.consultant.id, s.engagementId, second!.id, { assigneeId: sales!.id });
    await notifyAll();
    await pause(2_500);
    expect(receiver.received.length, 'no e-mail for a kind turned off').to.equal(1);
    expect((await sql(s.db.orm, `select 1 from notifications where user_id = ? and kind = 'taskAssigned'`, [sales!.id])).length, 'nor a second inbox entry').to.equal(1);
  });

  it('sends one e-mail when the same job runs twice, and none for a command that fails after recording its event', async () => {
    const [sales] = s.cast.staff;
    const runner = await startRunner(s.db.orm);
    const [task] = await openTasks(1);
    const failure = await runCommand(deps(), s.engagementId, s.cast.consultant.id, { roles: ['consultant'] }, (ctx) => {
      ctx.record('task.assign', { taskId: task!.id, key: task!.key, assigneeId: sales!.id, deadline: null });
      throw new Error('the disk is full');
    }).then(() => null, (e: Error) => e);
    expect(failure?.message).to.equal('the disk is full');
    await notifyAll();
    expect(await mailJobs(), 'the rolled-back event queued no job').to.equal(0);

    await assignTask(deps(), s.cast.consultant.id, s.engagementId, task!.id, { assigneeId: sales!.id });
    await notifyAll();
    await until('the e-mail', () => receiver.received.length === 1);
    const [entry] = await sql<{ id: string }>(s.db.orm, `select id from notifications where kind = 'taskAssigned'`);
    await runner.enqueue('notificationMail', { notificationId: entry!.id, engagementId: s.engagementId });
    await until('the second run', () => logs.some((l) => /job notification-mail: taskAssigned .*: already sent/.test(l)));
    expect(receiver.received.length).to.equal(1);
  });

  it('two workers on one database send each of three e-mails once, even with every job queued twice', async () => {
    const [sales] = s.cast.staff;
    await startRunner(s.db.orm);
    await startRunner(await s.db.openAnother());
    for (const task of await openTasks(3)) await assignTask(deps(), s.cast.consultant.id, s.engagementId, task.id, { assigneeId: sales!.id });
    await notifyAll();
    for (const { id } of await sql<{ id: string }>(s.db.orm, `select id from notifications where kind = 'taskAssigned'`)) await runners[1]!.enqueue('notificationMail', { notificationId: id, engagementId: s.engagementId });
    await until('three e-mails', () => receiver.received.length >= 3);
    await pause(3_000);
    expect(receiver.received.length).to.equal(3);
    expect(new Set(mails().map((m) => header(m.raw, 'Message-ID'))).size).to.equal(3);
    expect(logs.filter((l) => /: already sent$/.test(l)).length, 'the second job of each found it sent').to.equal(3);
  });

  it('reminds the owner of a waiting approval only on working days in the engagement’s zone, daily, and the consultant after three working days', async () => {
    await setEngagementTimeZone(deps(), s.cast.consultant.id, s.engagementId, 'asia/vladivostok');
    // Friday 4 December 2026, 10:00 in Vladivostok (UTC+10).
    deps().time.now = new Date('2026-12-04T00:00:00Z');
    await submitDocumentVersion(deps(), s.cast.consultant.id, s.engagementId, 'target-criteria', await contentOf('target-criteria'));
    await notifyAll();
    const seen: string[] = [];
    // Every three hours for a week: the schedule looks far more often than it reminds.
    for (let hour = 0; hour <= 7 * 24; hour += 3) {
      deps().time.now = new Date(Date.parse('2026-12-04T00:00:00Z') + hour * 3_600_000);
      await sendDueReminders({ ...deps(), jobs: sender }, deps().clock());
    }
    const rows = await sql<{ user_id: string; created_at: Date; params: { escalated?: boolean } }>(s.db.orm, `select user_id, created_at, params from notifications where kind = 'reminder' order by created_at`);
    const day = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Vladivostok', weekday: 'short' }).format(new Date(d));
    const role = (id: string) => (id === s.cast.owner.id ? 'owner' : id === s.cast.consultant.id ? 'consultant' : 'someone else');
    // Owner first within one scan: entries written by the same look share their time.
    for (const r of rows.sort((a, b) => +new Date(a.created_at) - +new Date(b.created_at) || (role(a.user_id) === 'owner' ? -1 : 1))) seen.push(`${day(r.created_at)} ${role(r.user_id)}`);
    expect(seen).to.deep.equal(['Mon owner', 'Tue owner', 'Wed owner', 'Wed consultant', 'Thu owner', 'Thu consultant', 'Fri owner', 'Fri consultant']);

    await startRunner(s.db.orm);
    await until('the reminder e-mails', () => receiver.received.filter((r) => r.raw.includes('Still waiting')).length === rows.length);
    const toConsultant = mails().find((m) => m.to.includes(s.cast.consultant.email) && /owner’s approval/.test(m.subject));
    expect(toConsultant?.subject).to.match(/^Still waiting for the owner’s approval \(working days: [345]\): Target criteria/);
  });

  it('keeps a "daily digest" kind out of the e-mail at once and sends it in one digest, once however often the digest runs', async () => {
    const [sales] = s.cast.staff;
    await savePreferences(s.db.orm, sales!.id, { taskAssigned: 'digest' }, deps().clock());
    await startRunner(s.db.orm);
    for (const task of await openTasks(2)) await assignTask(deps(), s.cast.consultant.id, s.engagementId, task.id, { assigneeId: sales!.id });
    await notifyAll();
    expect(await mailJobs(), 'no e-mail job for a digest kind').to.equal(0);
    const digest = { orm: s.db.orm, mailer: mailers[0]!, baseUrl: BASE, clock: deps().clock };
    expect(await sendDigests(digest)).to.equal('1 digests sent to 1 people');
    expect(await sendDigests(digest)).to.equal('0 digests sent to 0 people');
    expect(receiver.received.length).to.equal(1);
    const [mail] = mails();
    expect(mail!.subject).to.equal('Troika: 2 notifications of the day');
    expect(mail!.body.match(/^- Assigned to you: /gm)).to.have.length(2);
  });
});
