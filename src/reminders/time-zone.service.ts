// The engagement's time zone, whose Monday to Friday are the working days of its reminders. The
// consultant sets it; like every change it is a command with its event in the log.
import { runCommand, type ServiceDeps } from '../engagement/command.ts';
import { InvalidInputError } from '../errors.ts';
import { isTimeZone } from './working-days.ts';

export const NOT_A_TIME_ZONE = 'must be a time zone such as Europe/Moscow, Asia/Yekaterinburg or UTC';

export async function setEngagementTimeZone(deps: ServiceDeps, actorId: string, engagementId: string, zone: string): Promise<string> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, (ctx) => {
    const timeZone = zone.trim();
    if (!isTimeZone(timeZone)) throw new InvalidInputError([{ field: 'timeZone', message: NOT_A_TIME_ZONE }]);
    // The canonical spelling (europe/moscow -> Europe/Moscow), so the page shows what the runtime uses.
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    if (canonical === ctx.engagement.timeZone) return canonical;
    ctx.record('engagement.setTimeZone', { from: ctx.engagement.timeZone, to: canonical });
    ctx.engagement.timeZone = canonical;
    return canonical;
  });
}
