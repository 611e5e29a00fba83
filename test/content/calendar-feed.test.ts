import { expect } from 'chai';
import { useWebApp, WebClient } from '../helpers/web.ts';
import { createItem, submitItem, approveItem, scheduleItem } from '../../src/content/content-items.service.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { foldLine } from '../../src/calendar-feed/ics.ts';

/** A strict reading of an iCalendar text (RFC 5545): CRLF lines of at most 75 octets, unfolded into components. */
function parseCalendar(text: string): { events: Record<string, string>[]; name: string } {
  expect(text.endsWith('\r\n'), 'ends with CRLF').to.equal(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(Buffer.byteLength(line), `line too long: ${line}`).to.be.at.most(75);
    expect(line, 'no bare line feed').not.to.include('\n');
  }
  const lines = physical.reduce<string[]>((all, line) => (line.startsWith(' ') ? [...all.slice(0, -1), all.at(-1)! + line.slice(1)] : [...all, line]), []);
  expect(lines[0]).to.equal('BEGIN:VCALENDAR');
  expect(lines.at(-1)).to.equal('END:VCALENDAR');
  expect(lines).to.include('VERSION:2.0');
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      for (const required of ['UID', 'DTSTAMP', 'DTSTART', 'SUMMARY']) expect(Object.keys(current!).some((k) => k.startsWith(required)), required).to.equal(true);
      events.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1).replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1');
    }
  }
  return { events, name: lines.find((l) => l.startsWith('X-WR-CALNAME:'))!.slice(13) };
}

describe('the calendar feed behind a secret, revocable address', () => {
  const s = useWebApp();

  async function makeFeed(client: WebClient): Promise<string> {
    await client.get('/calendar-feed');
    const res = await client.post('/calendar-feed', { intent: 'renew' });
    expect(res.status).to.equal(200);
    const url = /<code id="feed-url">([^<]+)<\/code>/.exec(res.text)![1]!;
    return new URL(url).pathname;
  }

  it("serves a person's open tasks with deadlines and the content items they write, to a calendar program without a session", async () => {
    const [staff, other] = s.cast.staff as [typeof s.cast.staff[0], typeof s.cast.staff[0]];
    const deps = s.app.deps;
    const planned = await createItem(deps, staff!.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Свежий хлеб, ржаной; с тмином — и длинным заголовком, который точно придётся переносить', plannedOn: '2026-03-10', body: 'x' });
    const timed = await createItem(deps, staff!.id, s.engagementId, { channel: 'chat', format: 'poll', title: 'Poll', plannedOn: '2026-03-11', body: 'y' });
    await submitItem(deps, staff!.id, s.engagementId, timed.id);
    await approveItem(deps, s.cast.owner.id, s.engagementId, timed.id);
    await scheduleItem(deps, staff!.id, s.engagementId, timed.id, { scheduledAt: '2026-03-11T15:30' });
    await createItem(deps, other!.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Not mine', plannedOn: '2026-03-12' });
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, role: 'staff', kind: 'work' }, { orderBy: { position: 'asc' } });
    await assignTask(deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: staff!.id, deadline: '2026-03-20' });

    const path = await makeFeed(await s.signedIn(staff!));
    const calendarProgram = new WebClient(s.app.url);
    const res = await calendarProgram.get(path);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/calendar/);
    expect(res.headers.get('set-cookie'), 'no session for a calendar program').to.equal(null);
    const { events } = parseCalendar(res.text);
    const bySummary = (start: string) => events.find((e) => e.SUMMARY!.startsWith(start));
    expect(bySummary('Свежий хлеб, ржаной; с тмином')!['DTSTART;VALUE=DATE']).to.equal('20260310');
    expect(bySummary('Poll')!.DTSTART).to.equal('20260311T153000Z');
    expect(events.some((e) => e['DTSTART;VALUE=DATE'] === '20260320' && e.UID === `task-${task.id}@troika`)).to.equal(true);
    expect(events.some((e) => e.SUMMARY!.startsWith('Not mine'))).to.equal(false);
  });

  it('stops the old address when a new one is made, and every address when the feed is turned off', async () => {
    const staff = await s.signedIn(s.cast.staff[0]!);
    const first = await makeFeed(staff);
    const second = await makeFeed(staff);
    const program = new WebClient(s.app.url);
    expect((await program.get(first)).status).to.equal(404);
    expect((await program.get(second)).status).to.equal(200);
    await staff.get('/calendar-feed');
    await staff.post('/calendar-feed', { intent: 'revoke' });
    expect((await program.get(second)).status).to.equal(404);
    expect((await program.get('/feeds/not-a-token.ics')).status).to.equal(404);
    const page = await staff.get('/calendar-feed');
    expect(page.text).to.include('no feed address yet');
  });

  it('folds long lines without splitting a character', () => {
    const folded = foldLine(`SUMMARY:${'ж'.repeat(100)}`);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).to.be.at.most(75);
    expect(folded.split('\r\n').map((l, i) => (i ? l.slice(1) : l)).join('')).to.equal(`SUMMARY:${'ж'.repeat(100)}`);
  });
});
