// What the web layer is given: the services' dependencies plus mail, sign-in limits and a log.
import type { AccountDeps } from '../users/invitations.service.ts';
import type { LoginLimiter } from './login-limit.ts';
import type { ChangeFeed } from '../cache/change-feed.ts';

export interface WebDeps extends AccountDeps {
  limiter: LoginLimiter;
  log: (line: string) => void;
  /** Heard changes to the engagements' data; without it nothing is cached. */
  changes?: ChangeFeed;
}
