// A person's own settings.
import { User } from './user.entity.ts';
import type { ServiceDeps } from '../engagement/command.ts';

export async function setUserLocale(deps: ServiceDeps, userId: string, locale: 'en' | 'ru'): Promise<void> {
  const em = deps.orm.em.fork();
  const user = await em.findOneOrFail(User, userId);
  user.locale = locale;
  await em.flush();
}
