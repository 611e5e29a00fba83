// Whether another (unprivileged) user could walk down to a path: the embedded PostgreSQL and the
// PDF browser run as their own system users, who cannot enter a private folder such as /root.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** True when a user who is neither the owner nor in the group can walk down to this path. */
export function isReachableByOthers(path: string): boolean {
  let current = existsSync(path) ? realpathSync(path) : resolve(path);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}
