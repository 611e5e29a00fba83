import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import { fillMonth, saveWeekdayThemes } from '../../src/content/content-plan.service.ts';
import { ContentItem, ContentPlan } from '../../src/content/content.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../src/errors.ts';
import { FACEBOOK, VK, registerAccounts } from './content-helpers.ts';

const ALL_DAYS = ['1', '2', '3', '4', '5', '6', '7'];

describe('the content plan: weekday themes and filling a month', () => {
  const s = useStartedEngagement();
  const items = () => s.db.orm.em.fork().find(ContentItem, { engagement: s.engagementId }, { orderBy: { plannedOn: 'asc', channel: 'asc' } });
  const fill = (raw: Record<string, unknown>, actor = s.cast.consultant.id) => fillMonth(s.deps, actor, s.engagementId, raw as never);

  beforeEach(() => registerAccounts(s.deps, s.cast, s.engagementId));

  it('fills a month with an idea per chosen channel and weekday, titled by the methodology theme of the day', async () => {
    const made = await fill({ month: '2026-04', channels: [VK, 'chat'], weekdays: ['1', '3'] });
    // April 2026: Mondays 6, 13, 20, 27; Wednesdays 1, 8, 15, 22, 29 -> 9 days on two channels.
    expect(made).to.have.length(18);
    const stored = await items();
    expect(stored.every((i) => i.status === 'idea' && !i.author)).to.equal(true);
    const monday = stored.find((i) => i.plannedOn === '2026-04-06' && i.channel === VK)!;
    expect(monday.title).to.equal('The week ahead');
    expect(stored.find((i) => i.plannedOn === '2026-04-01' && i.channel === 'chat')!.title).to.equal("A customer's story");
    const event = await s.db.orm.em.fork().findOneOrFail(EngagementEvent, { engagement: s.engagementId, type: 'content.fillMonth' });
    expect(event.payload).to.include({ month: '2026-04', count: 18 });
  });

  it('fills only the days inside the engagement plan, and refuses a month with none of them', async () => {
    // The engagement starts on 2 March 2026: 1 March is outside.
    const made = await fill({ month: '2026-03', channels: ['chat'], weekdays: ALL_DAYS });
    expect(made.map((i) => i.plannedOn)).to.not.include('2026-03-01');
    expect(made).to.have.length(30);
    const error = await refusalOf(fill({ month: '2027-01', channels: ['chat'], weekdays: ALL_DAYS }));
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems.map((p) => p.field)).to.deep.equal(['month']);
  });

  it('refuses a channel already filled for the month and changes nothing, but lets another channel be filled', async () => {
    await fill({ month: '2026-04', channels: [VK], weekdays: ALL_DAYS });
    const before = (await items()).length;
    const error = await refusalOf(fill({ month: '2026-04', channels: [VK, FACEBOOK], weekdays: ALL_DAYS }));
    expect((error as InvalidInputError).problems.map((p) => p.field)).to.deep.equal(['channels']);
    expect(await items()).to.have.length(before);
    await fill({ month: '2026-04', channels: [FACEBOOK], weekdays: ALL_DAYS });
    expect(await items()).to.have.length(before * 2);
  });

  it('refuses a channel that is not in the register, a bad month and no weekday, each by its field', async () => {
    const error = await refusalOf(fill({ month: 'April', channels: ['instagram:https://instagram.com/x'], weekdays: [] }));
    expect((error as InvalidInputError).problems.map((p) => p.field).sort()).to.deep.equal(['month', 'weekdays']);
    const unknown = await refusalOf(fill({ month: '2026-04', channels: ['instagram:https://instagram.com/x'], weekdays: ALL_DAYS }));
    expect((unknown as InvalidInputError).problems.map((p) => p.field)).to.deep.equal(['channels']);
  });

  it('lets only the consultant fill a month or word the themes; outsiders are not told the engagement exists', async () => {
    for (const actor of [s.cast.owner, s.cast.staff[0]!]) {
      expect(await refusalOf(fill({ month: '2026-04', channels: ['chat'], weekdays: ALL_DAYS }, actor.id))).to.be.instanceOf(ForbiddenError);
    }
    const other = await makeEngagement(s.deps);
    expect(await refusalOf(fill({ month: '2026-04', channels: ['chat'], weekdays: ALL_DAYS }, other.cast.consultant.id))).to.be.instanceOf(NotFoundError);
  });

  it('keeps the themes the consultant words, and both languages of the ones left as they were', async () => {
    const themes = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, theme: weekday === 2 ? 'Rye day' : '', brief: '' }));
    const refused = await refusalOf(saveWeekdayThemes(s.deps, s.cast.consultant.id, s.engagementId, { themes }));
    expect((refused as InvalidInputError).problems.map((p) => p.field)).to.include('themes.0.theme');
    const plan = await saveWeekdayThemes(s.deps, s.cast.consultant.id, s.engagementId, {
      themes: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, theme: weekday === 2 ? 'Rye day' : weekday === 1 ? 'Планы на неделю' : `Day ${weekday}`, brief: 'Short.' })),
    });
    const stored = await s.db.orm.em.fork().findOneOrFail(ContentPlan, plan.id);
    expect(stored.weekdayThemes[0]!.theme).to.deep.equal({ en: 'The week ahead', ru: 'Планы на неделю' });
    expect(stored.weekdayThemes[1]!.theme).to.deep.equal({ en: 'Rye day', ru: 'Rye day' });
    const made = await fill({ month: '2026-04', channels: ['chat'], weekdays: ['2'] });
    expect(made[0]!.title).to.equal('Rye day');
  });
});
