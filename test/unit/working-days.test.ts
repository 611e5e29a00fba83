// Working days in an engagement's time zone, and who the reminder rules remind on which day.
import { expect } from 'chai';
import { isTimeZone, isWorkingDay, localDateKey, workingDaysBetween } from '../../src/reminders/working-days.ts';
import { remindersFor, type EngagementFacts } from '../../src/reminders/reminder-rules.ts';
import { DEFAULT_REMINDERS } from '../../src/methodology/reminders.schema.ts';

const at = (iso: string) => new Date(iso);

describe('working days', () => {
  it('counts a Friday afternoon to Monday afternoon as one working day, the weekend not at all', () => {
    expect(workingDaysBetween(at('2026-12-04T12:00:00Z'), at('2026-12-07T12:00:00Z'), 'UTC')).to.be.closeTo(1, 1e-9);
    expect(workingDaysBetween(at('2026-12-05T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'UTC')).to.equal(0);
    expect(workingDaysBetween(at('2026-12-07T00:00:00Z'), at('2026-12-12T00:00:00Z'), 'UTC')).to.be.closeTo(5, 1e-9);
  });

  it("takes the weekend on the engagement's own calendar: Saturday 01:00 in Moscow is still Friday in UTC", () => {
    const saturdayInMoscow = at('2026-12-04T22:00:00Z');
    expect(isWorkingDay(saturdayInMoscow, 'Europe/Moscow')).to.equal(false);
    expect(isWorkingDay(saturdayInMoscow, 'UTC')).to.equal(true);
    expect(localDateKey(saturdayInMoscow, 'Europe/Moscow')).to.equal('2026-12-05');
    // Friday 20:00 to Monday 03:00 Moscow: the 4 hours left of Friday and the 3 of Monday.
    expect(workingDaysBetween(at('2026-12-04T17:00:00Z'), at('2026-12-07T00:00:00Z'), 'Europe/Moscow')).to.be.closeTo(7 / 24, 1e-9);
  });

  it('keeps a local day whole across a daylight-saving change (a 23-hour Monday still counts as one day)', () => {
    // Europe/Berlin springs forward on Sunday 2026-03-29; Monday the 30th is a normal day, Sunday is the short one.
    expect(workingDaysBetween(at('2026-03-27T23:00:00Z'), at('2026-03-30T22:00:00Z'), 'Europe/Berlin')).to.be.closeTo(1, 1e-9);
  });

  it('knows IANA zones and refuses anything else', () => {
    expect(isTimeZone('Europe/Moscow')).to.equal(true);
    expect(isTimeZone('UTC')).to.equal(true);
    for (const bad of ['Mars/Olympus', '', 'Europe/Moscow\nX-Evil: 1', '../etc/passwd', '+03:00 ']) expect(isTimeZone(bad), JSON.stringify(bad)).to.equal(false);
  });
});

describe('reminder rules', () => {
  const facts = (over: Partial<EngagementFacts> = {}): EngagementFacts => ({
    id: 'g1',
    timeZone: 'UTC',
    thresholds: DEFAULT_REMINDERS,
    ownerIds: ['owner'],
    consultantIds: ['consultant'],
    approvals: [],
    tasks: [],
    ...over,
  });
  const who = (list: ReturnType<typeof remindersFor>) => list.map((r) => `${r.kind}${r.params.escalated ? '!' : ''}:${r.userId}`);

  it('reminds the owner of a document sent on Friday morning on Monday afternoon, not on the weekend, and the consultant after three working days', () => {
    const e = facts({ approvals: [{ documentId: 'd1', submittedAt: at('2026-12-04T09:00:00Z') }] });
    expect(who(remindersFor(e, at('2026-12-05T10:00:00Z'))), 'Saturday').to.deep.equal([]);
    expect(who(remindersFor(e, at('2026-12-07T08:00:00Z'))), 'Monday 08:00, less than a working day').to.deep.equal([]);
    expect(who(remindersFor(e, at('2026-12-07T10:00:00Z'))), 'Monday 10:00').to.deep.equal(['reminder:owner']);
    expect(who(remindersFor(e, at('2026-12-09T10:00:00Z'))), 'Wednesday 10:00, three working days and an hour').to.deep.equal(['reminder:owner', 'reminder!:consultant']);
  });

  it('gives each day its own key, so the schedule reminds once a day however often it looks', () => {
    const e = facts({ approvals: [{ documentId: 'd1', submittedAt: at('2026-12-04T09:00:00Z') }] });
    const [morning] = remindersFor(e, at('2026-12-07T10:00:00Z'));
    const [evening] = remindersFor(e, at('2026-12-07T22:00:00Z'));
    const [tomorrow] = remindersFor(e, at('2026-12-08T10:00:00Z'));
    expect(morning!.key).to.equal(evening!.key);
    expect(tomorrow!.key).to.not.equal(morning!.key);
  });

  it('tells the assignee the day before a deadline, every working day once overdue, and the consultant once after two working days overdue', () => {
    const e = facts({ tasks: [{ taskId: 't1', deadline: at('2026-12-04T23:59:59Z'), assigneeId: 'staff', assigneeName: 'Sasha' }] });
    expect(who(remindersFor(e, at('2026-12-03T10:00:00Z'))), 'Thursday').to.deep.equal(['taskDueTomorrow:staff']);
    expect(who(remindersFor(e, at('2026-12-04T10:00:00Z'))), 'Friday, the due day').to.deep.equal([]);
    expect(who(remindersFor(e, at('2026-12-06T10:00:00Z'))), 'Sunday').to.deep.equal([]);
    expect(who(remindersFor(e, at('2026-12-07T10:00:00Z'))), 'Monday').to.deep.equal(['taskOverdue:staff']);
    expect(who(remindersFor(e, at('2026-12-09T10:00:00Z'))), 'Wednesday').to.deep.equal(['taskOverdue:staff', 'taskOverdue!:consultant']);
    const escalations = [at('2026-12-09T10:00:00Z'), at('2026-12-10T10:00:00Z')].map((now) => remindersFor(e, now).find((r) => r.params.escalated)!.key);
    expect(escalations[0]).to.equal(escalations[1]);
  });
});
