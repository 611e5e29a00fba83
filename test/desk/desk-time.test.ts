// The desk's moments on the engagement's clock: what a page shows and how a typed time is read.
import { expect } from 'chai';
import { formatDeskTime, fromLocalInput, toLocalInput } from '../../src/desk/desk-time.ts';

describe('desk times in the engagement’s time zone', () => {
  it('reads a typed 10:00 in Moscow as 07:00 UTC and shows the instant back as 10:00', () => {
    const at = fromLocalInput('2026-03-02T10:00', 'Europe/Moscow');
    expect(at!.toISOString()).to.equal('2026-03-02T07:00:00.000Z');
    expect(toLocalInput(at!, 'Europe/Moscow')).to.equal('2026-03-02T10:00');
    expect(formatDeskTime('en', at, 'Europe/Moscow')).to.equal('2 Mar, 10:00');
    expect(formatDeskTime('ru', at, 'Europe/Moscow')).to.match(/^2 мар\.?,? 10:00$/);
  });

  it('keeps UTC as it was for an engagement in UTC, and a typed offset as typed', () => {
    expect(fromLocalInput('2026-03-02T10:00', 'UTC')!.toISOString()).to.equal('2026-03-02T10:00:00.000Z');
    expect(fromLocalInput('2026-03-02T10:00+05:00', 'Europe/Moscow')!.toISOString()).to.equal('2026-03-02T05:00:00.000Z');
    expect(fromLocalInput('2026-03-02T10:00Z', 'Europe/Moscow')!.toISOString()).to.equal('2026-03-02T10:00:00.000Z');
  });

  it('follows daylight saving: summer and winter offsets, the repeated hour read as its first, the skipped hour just after the gap', () => {
    expect(fromLocalInput('2026-07-01T10:00', 'Europe/Berlin')!.toISOString()).to.equal('2026-07-01T08:00:00.000Z');
    expect(fromLocalInput('2026-01-15T10:00', 'Europe/Berlin')!.toISOString()).to.equal('2026-01-15T09:00:00.000Z');
    // 25 October 2026: Berlin's clocks go from 03:00 CEST back to 02:00 CET, so 02:30 happens twice.
    expect(fromLocalInput('2026-10-25T02:30', 'Europe/Berlin')!.toISOString()).to.equal('2026-10-25T00:30:00.000Z');
    // 8 March 2026: New York's clocks jump from 02:00 to 03:00; 02:30 does not exist and means 03:30 EDT.
    const skipped = fromLocalInput('2026-03-08T02:30', 'America/New_York')!;
    expect(skipped.toISOString()).to.equal('2026-03-08T07:30:00.000Z');
    expect(toLocalInput(skipped, 'America/New_York')).to.equal('2026-03-08T03:30');
    expect(toLocalInput(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin')).to.equal('2026-10-25T02:30');
  });

  it('refuses what is not a real date and time', () => {
    for (const text of ['2026-02-30T10:00', '2026-03-02T24:00', '2026-03-02 10:00', 'yesterday', '']) expect(fromLocalInput(text, 'Europe/Moscow'), text).to.equal(null);
  });

  it('shows a dash for no moment', () => {
    expect(formatDeskTime('en', null, 'Europe/Moscow')).to.equal('—');
  });
});
