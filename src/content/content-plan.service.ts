// The engagement's content plan: its weekday themes, and filling a month with content items from them.
import { z } from 'zod';
import { runCommand, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { planWindow } from '../engagement/engagement.machine.ts';
import { parseInput } from '../validation.ts';
import { BlockedError, InvalidInputError } from '../errors.ts';
import { ContentItem, ContentPlan } from './content.entity.ts';
import { fillMonthInput, themesInput } from './content-input.ts';
import { daysToFill, defaultThemes, formatsOf, weekdayOf } from './content-rules.ts';
import { readChannels } from './channels.queries.ts';

/** Content is planned and worked while the engagement is a draft or in a stage, not paused or ended. */
export function refuseUnlessActive(ctx: CommandContext, action: string): void {
  const active = ctx.engagement.state === 'draft' || ctx.methodology.stages.some((s) => s.id === ctx.engagement.state);
  if (!active) throw new BlockedError(action, [`the engagement is ${ctx.engagement.state}`]);
}

/** The plan row, made from the methodology's default themes on the first change. */
export async function planOf(ctx: CommandContext): Promise<ContentPlan> {
  const found = await ctx.em.findOne(ContentPlan, { engagement: ctx.engagement });
  if (found) return found;
  const plan = ctx.em.create(ContentPlan, { engagement: ctx.engagement, weekdayThemes: defaultThemes(ctx.methodology.contentPlan), filledMonths: [] });
  ctx.em.persist(plan);
  return plan;
}

/**
 * The consultant words the week's themes. A theme typed here replaces both languages' text: it is the
 * engagement's own wording now, as any text people write is.
 */
export async function saveWeekdayThemes(deps: ServiceDeps, actorId: string, engagementId: string, raw: z.input<typeof themesInput>): Promise<ContentPlan> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    refuseUnlessActive(ctx, 'The themes cannot be changed');
    const input = parseInput(themesInput, raw);
    const plan = await planOf(ctx);
    const problems = input.themes.flatMap((t, i) => (t.theme ? [] : [{ field: `themes.${i}.theme`, message: 'give the day a theme' }]));
    if (problems.length) throw new InvalidInputError(problems);
    plan.weekdayThemes = plan.weekdayThemes.map((old) => {
      const typed = input.themes.find((t) => t.weekday === old.weekday)!;
      const same = (text: { en: string; ru: string }, value: string) => text.en === value || text.ru === value;
      // A theme left as the reader saw it keeps both languages.
      return {
        weekday: old.weekday,
        theme: same(old.theme, typed.theme) ? old.theme : { en: typed.theme, ru: typed.theme },
        brief: same(old.brief, typed.brief) ? old.brief : { en: typed.brief, ru: typed.brief },
      };
    });
    ctx.record('content.themes', { weekdays: plan.weekdayThemes.map((t) => t.weekday) });
    return plan;
  });
}

/**
 * Creates an idea for every chosen channel on every chosen weekday of the month, titled by the day's
 * theme. Only days inside the engagement's plan are filled; a month with none is refused, and so is a
 * channel already filled for that month (its items are moved or added one by one instead).
 */
export async function fillMonth(deps: ServiceDeps, actorId: string, engagementId: string, raw: z.input<typeof fillMonthInput>): Promise<ContentItem[]> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    refuseUnlessActive(ctx, 'The month cannot be filled');
    const input = parseInput(fillMonthInput, raw);
    const window = planWindow(ctx.engagement.plannedStart, ctx.engagement.snapshot.context);
    const days = daysToFill(input.month, window, input.weekdays);
    const problems = [];
    if (!days.length) problems.push({ field: 'month', message: "the month must have days inside the engagement's plan on the chosen weekdays" });
    const channels = await readChannels(ctx.em, ctx.engagement, ctx.methodology);
    const chosen = channels.filter((c) => input.channels.includes(c.key));
    if (chosen.length !== new Set(input.channels).size) problems.push({ field: 'channels', message: 'choose channels from the accounts register or the client chat' });
    const plan = await planOf(ctx);
    const filled = chosen.filter((c) => plan.filledMonths.some((f) => f.month === input.month && f.channel === c.key));
    if (filled.length) problems.push({ field: 'channels', message: 'a chosen channel is already filled for this month: move or add its items one by one' });
    if (problems.length) throw new InvalidInputError(problems);
    const format = formatsOf(ctx.methodology)[0]!.id;
    const language = ctx.actor.locale === 'ru' ? 'ru' : 'en';
    const items = chosen.flatMap((channel) =>
      days.map((day) => {
        const theme = plan.weekdayThemes.find((t) => t.weekday === weekdayOf(day))!;
        // Titled in the language of whoever fills the month: the people who will write the items.
        const title = theme.theme[language] || day;
        return ctx.em.create(ContentItem, {
          engagement: ctx.engagement, channel: channel.key, network: channel.network, accountAddress: channel.address, format, title: title.slice(0, 200),
          theme: title.slice(0, 200), body: '', mediaLinks: [], plannedOn: day, status: 'idea', createdBy: ctx.actor,
        });
      }),
    );
    plan.filledMonths = [...plan.filledMonths, ...chosen.map((c) => ({ month: input.month, channel: c.key }))];
    ctx.record('content.fillMonth', { month: input.month, channels: chosen.map((c) => c.key), weekdays: input.weekdays, count: items.length });
    return items;
  });
}
