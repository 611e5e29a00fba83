// axe-core run inside a page, for browser tests: a failure lists each serious or critical violation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer';
import type { AxeResults } from 'axe-core';

// The page's CSP is script-src 'none', so a <script> tag would be refused; page.evaluate goes through
// the DevTools protocol, which the CSP does not govern. The app's policy stays as it is.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

export interface Violation {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical violations axe finds on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  const hasAxe = await page.evaluate('typeof window.axe === "object"');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] })`)) as AxeResults;
  const found = results.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => ({ rule: v.id, impact: v.impact!, help: `${v.help} (${v.helpUrl})`, targets: v.nodes.map((n) => n.target.join(' ')) }));
  const dangling = await danglingReferences(page);
  if (dangling.length) found.push({ rule: 'aria-reference-missing', impact: 'serious', help: 'aria-describedby, aria-labelledby and aria-controls must name ids on the page', targets: dangling });
  return found;
}

/**
 * axe leaves an ARIA reference to a missing id as "needs review", not as a violation; a screen
 * reader then reads nothing where a message was meant, so here it counts as one.
 */
async function danglingReferences(page: Page): Promise<string[]> {
  return (await page.evaluate(`[...document.querySelectorAll('[aria-describedby], [aria-labelledby], [aria-controls]')].flatMap((el) =>
    ['aria-describedby', 'aria-labelledby', 'aria-controls'].flatMap((attr) => (el.getAttribute(attr) || '').split(/\\s+/).filter((id) => id && !document.getElementById(id))
      .map((id) => el.tagName.toLowerCase() + (el.getAttribute('name') ? '[name="' + el.getAttribute('name') + '"]' : '') + ' ' + attr + '="' + id + '"')))`)) as string[];
}

export function describeViolations(label: string, violations: Violation[]): string {
  const lines = violations.map((v) => `  [${v.impact}] ${v.rule}: ${v.help}\n    ${v.targets.join('\n    ')}`);
  return `${label}: ${violations.length} serious or critical accessibility violation(s)\n${lines.join('\n')}`;
}

/** Fails naming the page, and for each violation its rule, impact, help and the elements concerned. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  if (violations.length) throw new Error(describeViolations(label, violations));
}

/** At phone width nothing may stick out sideways: the page scrolls only down. */
export async function expectNoHorizontalOverflow(page: Page, label: string): Promise<void> {
  const { scrollWidth, innerWidth, widest } = (await page.evaluate(`(() => {
    const w = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > w + 1)
      .slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: w, widest: wide };
  })()`)) as { scrollWidth: number; innerWidth: number; widest: string[] };
  if (scrollWidth > innerWidth) throw new Error(`${label}: the page is ${scrollWidth}px wide in a ${innerWidth}px window (wider: ${widest.join(', ')})`);
}
