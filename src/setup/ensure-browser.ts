// Runs after npm install: makes sure a browser exists for PDFs and browser tests, never failing the install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { findBrowser, BROWSER_HELP } from '../pdf/browser-path.ts';
import { resolvePrintIdentity } from '../pdf/browser-process.ts';

const say = (line: string) => console.log(`[troika setup] ${line}`);

/** As root, creates the unprivileged user the PDF browser runs as, and says whether its sandbox can work. */
function preparePrintUser(): void {
  try {
    const { user, isSandboxed, sandboxOffReason } = resolvePrintIdentity();
    say(`PDF browser user: ${user ? `${user.name} (uid ${user.uid})` : userInfo().username}; Chromium sandbox: ${isSandboxed ? 'on' : `off, ${sandboxOffReason}`}`);
  } catch (error) {
    say((error as Error).message);
  }
}

async function main(): Promise<void> {
  const found = await findBrowser();
  if (found) {
    say(`browser: ${found.path} (${found.source})`);
    preparePrintUser();
    return;
  }
  const canApt = userInfo().uid === 0 && existsSync('/etc/debian_version') && spawnSync('which', ['apt-get']).status === 0;
  if (!canApt || process.env.TROIKA_SKIP_BROWSER_INSTALL === 'true') {
    say(BROWSER_HELP);
    return;
  }
  // Puppeteer's own download cannot reach its servers here; Debian's package can.
  say("no browser found: installing Debian's chromium and fonts with apt-get (about a minute)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core', 'fonts-liberation', 'poppler-utils'], { stdio: 'inherit', env });
    say(`browser: ${(await findBrowser())?.path ?? 'still not found'}`);
    preparePrintUser();
  } catch (error) {
    say(`apt-get failed (${(error as Error).message}). ${BROWSER_HELP}`);
  }
}

await main();
