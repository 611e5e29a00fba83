import { expect } from 'chai';
import { makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';
import { logEntry, markSent, saveAnswer, setApprovalRequired } from '../../src/desk/desk.service.ts';
import { listKpis } from '../../src/kpi/kpi.queries.ts';
import { Kpi } from '../../src/kpi/kpi.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { setEngagementTimeZone } from '../../src/reminders/time-zone.service.ts';
import { enterWeeklyActuals } from '../../src/kpi/kpi.service.ts';
import { approveTargets } from '../kpi/kpi-helpers.ts';
import { VK, registerAccounts } from '../content/content-helpers.ts';

const SAME_DAY = { metric: 'Reviews answered the same day', unit: '%', baseline: 50, target: 90, date: '2026-05-31', measuredBy: 'reviewsSameDay' };
const WITHIN_HOUR = { metric: 'Reviews answered within an hour', unit: '%', baseline: 20, target: 60, date: '2026-05-31', measuredBy: 'reviewsWithinHour' };
const VK_SAME_DAY = { ...SAME_DAY, network: 'vk' };
const REVIEW = { kind: 'review', channel: VK, link: 'https://vk.com/kolosok?w=wall-1_9', customerText: 'The rye was stale.', sentiment: 'negative' };
const ANSWER = { answer: 'You are right, the rye was yesterday’s: our mistake. Fresh loaves are out from 8 a.m.' };

type Cast = Awaited<ReturnType<typeof makeEngagement>>['cast'];

/** Logs an entry and, unless sentAt is null, answers it at that moment (approval switched off first). */
async function answered(deps: ServiceDeps, cast: Cast, engagementId: string, raw: Record<string, string>, sentAt: string | null): Promise<void> {
  const staff = cast.staff[0]!.id;
  const entry = await logEntry(deps, staff, engagementId, { ...REVIEW, ...raw });
  if (!sentAt) return;
  await saveAnswer(deps, staff, engagementId, entry.id, ANSWER);
  await markSent(deps, staff, engagementId, entry.id, { sentAt });
}

describe('a KPI fed by the review desk', () => {
  const s = useStartedEngagement();
  const series = async (metric: string, engagementId = s.engagementId, actor = s.cast.staff[0]!.id) => (await listKpis(s.deps, actor, engagementId)).find((k) => k.metric === metric)!.series;
  const at = (iso: string) => {
    s.deps.time.now = new Date(iso);
  };

  beforeEach(async () => {
    await registerAccounts(s.deps, s.cast, s.engagementId);
    await setApprovalRequired(s.deps, s.cast.owner.id, s.engagementId, { approvalRequired: false });
  });

  it('takes each week’s actual from the desk entries answered that week, another engagement’s entries aside', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId, [SAME_DAY, WITHIN_HOUR, VK_SAME_DAY]);
    expect((await s.db.orm.em.fork().find(Kpi, { engagement: s.engagementId }, { orderBy: { position: 'asc' } })).map((k) => k.measure)).to.deep.equal(['reviewsSameDay', 'reviewsWithinHour', 'reviewsSameDay']);
    expect(await series(SAME_DAY.metric)).to.deep.equal([]);

    // Week 10 (2 to 8 March): two answered within the hour, one later the same day, one the next day.
    at('2026-03-06T12:00:00Z');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-02T10:00' }, '2026-03-02T10:30');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-03T10:00' }, '2026-03-03T20:00');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-03T22:00' }, '2026-03-04T09:00');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-05T10:00' }, '2026-03-05T10:20');
    // A late messenger message is no review, and a review in the client chat is no VK review.
    await answered(s.deps, s.cast, s.engagementId, { kind: 'messenger', channel: 'chat', link: '', receivedAt: '2026-03-05T10:00' }, '2026-03-05T15:00');
    await answered(s.deps, s.cast, s.engagementId, { channel: 'chat', receivedAt: '2026-03-05T11:00' }, '2026-03-05T11:10');

    // Another engagement's desk answers late the whole week: its entries are its own.
    const other = await makeEngagement(s.deps);
    await registerAccounts(s.deps, other.cast, other.engagementId);
    await setApprovalRequired(s.deps, other.cast.owner.id, other.engagementId, { approvalRequired: false });
    await approveTargets(s.deps, other.cast, other.engagementId, [SAME_DAY]);
    await answered(s.deps, other.cast, other.engagementId, { receivedAt: '2026-03-02T10:00' }, '2026-03-04T10:00');
    await answered(s.deps, other.cast, other.engagementId, { receivedAt: '2026-03-03T10:00' }, '2026-03-05T10:00');

    expect(await series(SAME_DAY.metric)).to.deep.equal([{ week: '2026-W10', value: 80 }]);
    expect(await series(WITHIN_HOUR.metric)).to.deep.equal([{ week: '2026-W10', value: 60 }]);
    expect(await series(SAME_DAY.metric, other.engagementId, other.cast.staff[0]!.id)).to.deep.equal([{ week: '2026-W10', value: 0 }]);
    const vk = (await listKpis(s.deps, s.cast.consultant.id, s.engagementId)).find((k) => k.network === 'vk')!;
    expect(vk.series, 'the VK KPI reads the VK reviews only').to.deep.equal([{ week: '2026-W10', value: 75 }]);
    expect(vk.standing.status, '75 % against the 52 % the line expects on 6 March').to.equal('onTrack');

    // A review of Sunday answered on Monday counts in the week of the answer, late; one left unanswered
    // counts as late in the week its day ended; one still in time counts nowhere yet.
    at('2026-03-10T09:00:00Z');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-08T20:00' }, '2026-03-09T08:00');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-09T10:00' }, null);
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-09T12:00' }, '2026-03-09T12:30');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-10T08:00' }, null);
    expect(await series(SAME_DAY.metric)).to.deep.equal([{ week: '2026-W10', value: 80 }, { week: '2026-W11', value: 33 }]);
    expect(await series(SAME_DAY.metric, other.engagementId, other.cast.staff[0]!.id)).to.deep.equal([{ week: '2026-W10', value: 0 }]);

    // A figure entered by hand for a week wins over the desk's, as it does over measured content.
    const kpi = (await listKpis(s.deps, s.cast.consultant.id, s.engagementId))[0]!;
    await enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, { week: '2026-W10', values: { [kpi.id]: '70' } });
    expect(await series(SAME_DAY.metric)).to.deep.equal([{ week: '2026-W10', value: 70 }, { week: '2026-W11', value: 33 }]);
  });

  it('judges “the same day” on the engagement’s clock: 23:30 local is in time, 00:30 the next local day is not', async () => {
    await setEngagementTimeZone(s.deps, s.cast.consultant.id, s.engagementId, 'Asia/Vladivostok');
    await approveTargets(s.deps, s.cast, s.engagementId, [SAME_DAY]);
    // 08:30 UTC is 18:30 in Vladivostok (UTC+10); 13:30 UTC is 23:30 there, 14:30 UTC 00:30 on Tuesday.
    at('2026-03-02T15:00:00Z');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-02T08:30Z' }, '2026-03-02T13:30Z');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-02T08:30Z' }, '2026-03-02T14:30Z');
    const sends = await s.db.orm.em.fork().find(EngagementEvent, { engagement: s.engagementId, type: 'desk.send' }, { orderBy: { seq: 'asc' } });
    expect(sends.map((e) => e.payload.verdict)).to.deep.equal(['met', 'missed']);
    expect(await series(SAME_DAY.metric)).to.deep.equal([{ week: '2026-W10', value: 50 }]);
    // Sunday 8 March 23:30 local is 13:30 UTC: answered then, the review counts in week 10 of the engagement's
    // calendar; 14:30 UTC is already Monday there, week 11, though still Sunday in UTC.
    at('2026-03-08T15:00:00Z');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-08T02:00Z' }, '2026-03-08T13:30Z');
    await answered(s.deps, s.cast, s.engagementId, { receivedAt: '2026-03-08T02:00Z' }, '2026-03-08T14:30Z');
    expect(await series(SAME_DAY.metric)).to.deep.equal([{ week: '2026-W10', value: 67 }, { week: '2026-W11', value: 0 }]);
  });
});
