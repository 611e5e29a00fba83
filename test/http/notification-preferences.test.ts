// A person's per-kind notification choices, the engagement's time zone set by its consultant, and
// the consultant's page of the engagement's failed background jobs.
import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { startJobSender } from '../../src/jobs/job-sender.ts';
import { JOB_SCHEMA } from '../../src/jobs/queues.ts';

describe('notification settings and the reminders page', function () {
  this.timeout(90_000);
  const s = useWebApp();
  const sql = <T>(q: string, p: unknown[] = []) => s.db.orm.em.fork().getConnection().execute(q, p) as Promise<T[]>;

  it('lets a person choose per kind from the inbox: at once, daily digest or off, and keeps the choice', async () => {
    const staff = await s.signedIn(s.cast.staff[0]!);
    const inbox = await staff.get('/notifications');
    expect(inbox.text).to.contain('href="/notifications/preferences"');
    let page = await staff.get('/notifications/preferences');
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/name="taskOverdue" value="now"[^>]*checked/);
    const saved = await staff.post('/notifications/preferences', { taskOverdue: 'digest', stageSignedOff: 'off' });
    expect(saved.status).to.equal(303);
    page = await staff.follow(saved);
    expect(page.text).to.contain('Your notification settings are saved.');
    expect(page.text).to.match(/name="taskOverdue" value="digest"[^>]*checked/);
    expect(page.text).to.match(/name="stageSignedOff" value="off"[^>]*checked/);
  });

  it('refuses a choice it does not know and saves nothing of that form', async () => {
    const staff = await s.signedIn(s.cast.staff[0]!);
    await staff.get('/notifications/preferences');
    const refused = await staff.post('/notifications/preferences', { taskOverdue: 'off', reminder: 'hourly' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('nothing was saved');
    expect(await sql('select 1 from notification_preferences where user_id = ?', [s.cast.staff[0]!.id])).to.have.length(0);
  });

  it('lets the consultant set the engagement’s time zone, refuses one that does not exist in the person’s language, and records the change', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get(`/engagements/${s.engagementId}/reminders`);
    const bad = await consultant.post(`/engagements/${s.engagementId}/time-zone`, { timeZone: 'Moscow/Center' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('must be a time zone such as Europe/Moscow');
    expect((await sql<{ time_zone: string }>('select time_zone from engagements where id = ?', [s.engagementId]))[0]!.time_zone).to.equal('UTC');
    await consultant.post('/language', { locale: 'ru', back: '/' });
    await consultant.get(`/engagements/${s.engagementId}/reminders`);
    const badRu = await consultant.post(`/engagements/${s.engagementId}/time-zone`, { timeZone: 'Europe/Moskva' });
    expect(badRu.text).to.contain('Укажите часовой пояс, например Europe/Moscow');

    const ok = await consultant.post(`/engagements/${s.engagementId}/time-zone`, { timeZone: 'europe/moscow' });
    expect(ok.status).to.equal(303);
    expect((await sql<{ time_zone: string }>('select time_zone from engagements where id = ?', [s.engagementId]))[0]!.time_zone).to.equal('Europe/Moscow');
    const events = await sql<{ payload: { to: string } }>(`select payload from engagement_events where engagement_id = ? and type = 'engagement.setTimeZone'`, [s.engagementId]);
    expect(events.map((e) => e.payload.to)).to.deep.equal(['Europe/Moscow']);

    const owner = await s.signedIn(s.cast.owner);
    expect((await owner.get(`/engagements/${s.engagementId}/reminders`)).status, 'the owner does not see it').to.equal(403);
  });

  it('shows the consultant the background jobs of the engagement that failed for good, with the last error', async () => {
    const sender = await startJobSender(s.db.url, () => {});
    try {
      await s.db.orm.em.fork().transactional((em) => sender.sendInTransaction(em, 'notificationMail', [{ data: { notificationId: '00000000-0000-4000-8000-000000000000', engagementId: s.engagementId } }]));
    } finally {
      await sender.stop();
    }
    // As pg-boss leaves a job whose retries are spent.
    await sql(`update ${JOB_SCHEMA}.job set state = 'failed', retry_count = 8, completed_on = now(), output = '{"message":"550 mailbox unavailable"}'::jsonb where name = 'notification-mail'`);
    const consultant = await s.signedIn(s.cast.consultant);
    const page = await consultant.get(`/engagements/${s.engagementId}/reminders`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('550 mailbox unavailable');
    expect(page.text.match(/class="failed-job"/g)).to.have.length(1);
    expect((await consultant.get(`/engagements/${s.engagementId}`)).text).to.contain(`href="/engagements/${s.engagementId}/reminders"`);
  });
});
