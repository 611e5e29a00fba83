// Finds a Chromium or Chrome to drive: the configured one, the system's, then Puppeteer's own download.
import { existsSync } from 'node:fs';

export const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; source: string } | null> {
  const configured = env.PUPPETEER_EXECUTABLE_PATH;
  if (configured) return existsSync(configured) ? { path: configured, source: 'PUPPETEER_EXECUTABLE_PATH' } : null;
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  try {
    const { default: puppeteer } = await import('puppeteer');
    const cached = puppeteer.executablePath();
    if (typeof cached === 'string' && cached && existsSync(cached)) return { path: cached, source: "Puppeteer's cache" };
  } catch {
    // No download in the cache: fall through.
  }
  return null;
}

export const BROWSER_HELP =
  'No Chromium or Chrome was found. Install one (Debian: "apt-get install chromium fonts-dejavu-core"), ' +
  'or set PUPPETEER_EXECUTABLE_PATH to a Chrome or Chromium binary.';
