// The Launch demo's review desk: three weeks of reviews and messages on the café's channels, answered on
// time, answered late, left unanswered past the norm, still waiting and waiting for the owner's approval,
// so the desk page and the KPI read from it ("reviews answered the same day") show figures on the first visit.
import type { ServiceDeps } from '../engagement/command.ts';
import { approveAnswer, logEntry, markSent, saveAnswer, submitAnswer } from '../desk/desk.service.ts';
import { toLocalInput } from '../desk/desk-time.ts';
import { atLocalTime, localDate, type LocalDate } from '../reminders/working-days.ts';
import type { LaunchDemoCast } from './seed-launch.ts';

const VK = 'vk:https://vk.com/samovar.cafe';
const FACEBOOK = 'facebook:https://facebook.com/samovarcafe';
const MINUTE = 60_000;

/** How far an entry got: sent (on the local day and clock given), submitted for approval, or not answered. */
type Outcome = { sent: { daysLater: number; at: string } } | 'submitted' | 'unanswered';

interface DemoEntry {
  daysAgo: number;
  /** "10:15" on the engagement's clock; today's entries come a little before now instead. */
  at: string;
  kind: 'review' | 'messenger';
  channel: string;
  link: string | null;
  sentiment: 'positive' | 'negative';
  customerText: string;
  answer: string;
  outcome: Outcome;
}

const ENTRIES: DemoEntry[] = [
  { daysAgo: 20, at: '10:15', kind: 'review', channel: VK, link: 'https://vk.com/samovar.cafe?w=wall-1_501', sentiment: 'positive', customerText: 'The samovar tea for two was a delight, and the cherry pie was still warm.', answer: 'Thank you, Elena! The cherry pies come out of the oven at 9 every morning, so come early next time too.', outcome: { sent: { daysLater: 0, at: '10:50' } } },
  { daysAgo: 18, at: '19:40', kind: 'review', channel: FACEBOOK, link: 'https://facebook.com/samovarcafe/reviews/502', sentiment: 'negative', customerText: 'We waited twenty minutes for the tea and nobody came to say why.', answer: 'Pavel, we are sorry you waited: the samovar was being refilled and nobody told you. Your next pot of tea is on us.', outcome: { sent: { daysLater: 1, at: '10:30' } } },
  { daysAgo: 15, at: '12:05', kind: 'messenger', channel: 'chat', link: null, sentiment: 'positive', customerText: 'Can I book a table for six on Saturday at two?', answer: 'Yes, Olga: a table for six on Saturday at 14:00 is yours. We will keep the window table.', outcome: { sent: { daysLater: 0, at: '12:25' } } },
  { daysAgo: 12, at: '09:30', kind: 'review', channel: VK, link: 'https://vk.com/samovar.cafe?w=wall-1_504', sentiment: 'positive', customerText: 'Lovely breakfast with the kids, the pancakes were a hit.', answer: 'Thank you, Irina! The pancakes are on the menu every weekend until noon; the kids are welcome back.', outcome: { sent: { daysLater: 0, at: '16:10' } } },
  { daysAgo: 9, at: '21:10', kind: 'review', channel: VK, link: 'https://vk.com/samovar.cafe?w=wall-1_505', sentiment: 'negative', customerText: 'The cabbage pie was dry today.', answer: 'Sergei, thank you for saying so: Igor changed the dough for the cabbage pies this week. Come and try one on us.', outcome: { sent: { daysLater: 1, at: '09:20' } } },
  { daysAgo: 6, at: '13:00', kind: 'review', channel: FACEBOOK, link: 'https://facebook.com/samovarcafe/reviews/506', sentiment: 'positive', customerText: 'Best tea room in the district, cosy and unhurried.', answer: 'Thank you, Maria! We are glad the café feels like home; see you at the Friday tasting.', outcome: { sent: { daysLater: 0, at: '13:35' } } },
  { daysAgo: 3, at: '18:20', kind: 'review', channel: VK, link: 'https://vk.com/samovar.cafe?w=wall-1_507', sentiment: 'positive', customerText: 'The Friday tea tasting was great fun, thank you.', answer: 'Thank you, Dmitry! The next tasting is a week on Friday, with Ivan-chai from Karelia.', outcome: { sent: { daysLater: 0, at: '20:05' } } },
  { daysAgo: 2, at: '11:00', kind: 'review', channel: FACEBOOK, link: 'https://facebook.com/samovarcafe/reviews/508', sentiment: 'negative', customerText: 'No free tables on Sunday morning and nobody offered to call us when one came free.', answer: '', outcome: 'unanswered' },
  { daysAgo: 0, at: '', kind: 'review', channel: VK, link: 'https://vk.com/samovar.cafe?w=wall-1_509', sentiment: 'negative', customerText: 'The music was too loud for a quiet tea.', answer: 'Natalia, thank you for telling us: we turned the music down in the tea room and keep it quiet until six.', outcome: 'submitted' },
  { daysAgo: 0, at: '', kind: 'review', channel: VK, link: 'https://vk.com/samovar.cafe?w=wall-1_510', sentiment: 'positive', customerText: 'Came for the pies, stayed for the samovar. Will be back!', answer: '', outcome: 'unanswered' },
];

const minusDays = (d: LocalDate, days: number): LocalDate => {
  const n = new Date(Date.UTC(d.year, d.month - 1, d.day - days));
  return { year: n.getUTCFullYear(), month: n.getUTCMonth() + 1, day: n.getUTCDate() };
};

/** The instant the zone's clock reads `clock` (such as "10:15") on a local day. */
const at = (day: LocalDate, clock: string, zone: string) => {
  const [hour, minute] = clock.split(':').map(Number) as [number, number];
  return atLocalTime(day, hour, minute, zone);
};

/** Logs the demo's entries and takes each as far as its outcome: Anna and Igor write, the owner approves. */
export async function seedDemoDesk(deps: ServiceDeps, cast: LaunchDemoCast, engagementId: string, zone: string): Promise<void> {
  const now = deps.clock().getTime();
  const today = localDate(new Date(now), zone);
  // Today's entries came in a little before now, never before the local day began.
  const startOfToday = atLocalTime(today, 0, 0, zone).getTime();
  let todays = 0;
  for (const entry of ENTRIES) {
    const writer = entry.channel === FACEBOOK ? cast.igor : cast.anna;
    const received = entry.daysAgo
      ? at(minusDays(today, entry.daysAgo), entry.at, zone)
      : new Date(Math.max(startOfToday, now - (90 - 40 * todays++) * MINUTE));
    const logged = await logEntry(deps, writer.id, engagementId, {
      kind: entry.kind, channel: entry.channel, link: entry.link ?? '', receivedAt: received.toISOString(), customerText: entry.customerText, sentiment: entry.sentiment,
    });
    if (entry.outcome === 'unanswered') continue;
    await saveAnswer(deps, writer.id, engagementId, logged.id, { answer: entry.answer, checkedRules: ['no-template', 'thanks', 'spelling'] });
    await submitAnswer(deps, writer.id, engagementId, logged.id);
    if (entry.outcome === 'submitted') continue;
    await approveAnswer(deps, cast.owner.id, engagementId, logged.id);
    const sentAt = at(minusDays(today, entry.daysAgo - entry.outcome.sent.daysLater), entry.outcome.sent.at, zone);
    await markSent(deps, writer.id, engagementId, logged.id, { sentAt: toLocalInput(sentAt, zone) });
  }
}
