// PDF throughput against a cold `chromium --headless --print-to-pdf` of the same HTML, measured in the same run.
// Run with `npm run bench:pdf`; prints ratios, since the machines are shared and absolute times are noisy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { buildDocumentPrint, buildDossierPrint, type DocumentSource } from '../../src/pdf/print-models.ts';
import { createHtmlRenderer, type HtmlRenderer } from '../../src/pdf/render-html.ts';
import { createBrowserPool, defaultPrintConcurrency, type PdfPrinter, type PrintPage } from '../../src/pdf/browser-pool.ts';
import { processTree } from '../../src/pdf/browser-process.ts';
import { assembleDossier } from '../../src/pdf/dossier-assembly.ts';
import { createPdfRenderer } from '../../src/pdf/pdf-renderer.ts';
import { findBrowser } from '../../src/pdf/browser-path.ts';
import { sampleContent } from '../helpers/content.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 5);

const e1t = loadMethodologies('methodology').get('e1t@1')!.definition;
const html = createHtmlRenderer('templates');
const browser = await findBrowser();
if (!browser) throw new Error('no browser: see README');

const sources: DocumentSource[] = e1t.documentTypes.map((type, i) => ({
  client: 'Пекарня «Колосок»',
  type,
  version: { number: 1, hash: `${i}`.padStart(64, 'a'), content: sampleContent(type, `bench-${i}`), author: 'Вера', createdAt: new Date() },
  approval: { by: 'Олег', at: new Date() },
}));
const documents = sources.map((s) => buildDocumentPrint(s, 'ru'));
const log = sources.map((s) => ({ document: s.type.title.ru, version: 1, hash: s.version.hash, decision: 'approved' as const, by: 'Олег', at: new Date() }));
const dossierOn = (day: number) => buildDossierPrint({ client: 'Пекарня «Колосок»', methodology: e1t.name.ru, generatedAt: new Date(Date.UTC(2026, 0, 1 + day)), documents: sources, log }, 'ru');
const dossier = dossierOn(0);

const dir = mkdtempSync(join(tmpdir(), 'troika-bench-'));
chmodSync(dir, 0o755);

const TICKS = 100; // clock ticks per second in /proc (USER_HZ)
/** utime, stime, cutime, cstime of a process in seconds: its own CPU and that of its children it has reaped. */
function cpuOf(pid: number | 'self'): { own: number; children: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return { own: (f[11]! + f[12]!) / TICKS, children: (f[13]! + f[14]!) / TICKS };
  } catch {
    return { own: 0, children: 0 };
  }
}
/** All CPU seconds the browser has used: every live process of its tree plus the exited ones they reaped. */
const browserCpu = (pid: number) => processTree(pid).reduce((sum, p) => sum + cpuOf(p.pid).own + cpuOf(p.pid).children, 0);
const nodeCpu = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
};

/** The baseline: a new browser process per PDF, as a plain command would do it; its CPU from the reaped child's rusage. */
function coldPrint(file: string): { ms: number; cpu: number } {
  const start = performance.now();
  const before = cpuOf('self').children;
  execFileSync(browser!.path, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${join(dir, 'out.pdf')}`, `file://${file}`], { stdio: 'ignore' });
  return { ms: performance.now() - start, cpu: cpuOf('self').children - before };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const docFile = join(dir, 'document.html');
writeFileSync(docFile, html.document(documents[0]!));
const dossierFile = join(dir, 'dossier.html');
writeFileSync(dossierFile, html.dossier(dossier));
coldPrint(docFile); // first start warms the disk cache for both sides
const coldRuns = Array.from({ length: COLD_ROUNDS }, () => coldPrint(docFile));
const coldDoc = median(coldRuns.map((r) => r.ms));
const coldCpu = median(coldRuns.map((r) => r.cpu));
const coldDossier = median(Array.from({ length: Math.max(3, Math.floor(COLD_ROUNDS / 2)) }, () => coldPrint(dossierFile).ms));

// Where a document's time goes, one at a time: the HTML from the templates, loading it into the page
// (parse, style, screen layout), measuring and numbering the contents, printing, and the rest of the
// job (reading the printed outline to check the page numbers).
const phases = new Map<string, number>();
const add = (phase: string, since: number) => phases.set(phase, (phases.get(phase) ?? 0) + performance.now() - since);
const timing = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
  const start = performance.now();
  try {
    return await work();
  } finally {
    add(phase, start);
  }
};
const timedHtml: HtmlRenderer = {
  ...html,
  document: (model) => {
    const start = performance.now();
    const text = html.document(model);
    add('html', start);
    return text;
  },
};
const timedPage = (page: PrintPage): PrintPage => ({
  load: (text) => timing('load', () => page.load(text)),
  tops: (selectors) => timing('measure', () => page.tops(selectors)),
  setTexts: (selector, texts) => timing('measure', () => page.setTexts(selector, texts)),
  pdf: (options) => timing('print', () => page.pdf(options)),
});
const timedPrinter = (printer: PdfPrinter): PdfPrinter => ({
  ...printer,
  run: (job) => printer.run((page) => timing('job', () => job(timedPage(page)))),
});
const phaseLine = () => {
  const { job = 0, ...named } = Object.fromEntries(phases);
  const rest = job - Object.values(named).reduce((sum, ms) => sum + ms, 0);
  return [...Object.entries(named), ['outline and the rest', rest] as const].map(([phase, ms]) => `${phase} ${(ms / ROUNDS).toFixed(1)}`).join(', ');
};

const reprinted: string[] = [];
let phasesOneAtATime = '';
async function throughput(concurrency: number, isPhased = false): Promise<{ rate: number; cpu: number }> {
  const printer = createBrowserPool({ concurrency });
  const renderer = isPhased ? createPdfRenderer(timedHtml, timedPrinter(printer)) : createPdfRenderer(html, printer);
  await renderer.document(documents[0]!); // the browser starts once per process, not per PDF
  phases.clear();
  const pid = (await printer.browserPid())!;
  const cpuBefore = browserCpu(pid) + nodeCpu();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ROUNDS) await renderer.document(documents[next++ % documents.length]!);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = (browserCpu(pid) + nodeCpu() - cpuBefore) / ROUNDS;
  await printer.close();
  const { prints, reprints } = renderer.stats();
  reprinted.push(`${reprints}/${prints}`);
  if (isPhased) phasesOneAtATime = phaseLine();
  return { rate: ROUNDS / seconds, cpu };
}

const cores = defaultPrintConcurrency();
const levels = [...new Set([1, cores, 2 * cores])];
const measured = new Map<number, { rate: number; cpu: number }>();
for (const level of levels) measured.set(level, await throughput(level, level === 1));

const printer = createBrowserPool();
const renderer = createPdfRenderer(html, printer);
await renderer.document(documents[0]!);
const pid = (await printer.browserPid())!;
/** Median wall time and mean CPU-seconds (browser and Node) of five runs of `work(i)`. */
const timed = async (work: (i: number) => Promise<unknown>) => {
  const times: number[] = [];
  const cpuBefore = browserCpu(pid) + nodeCpu();
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await work(i);
    times.push(performance.now() - start);
  }
  return { ms: median(times), cpu: (browserCpu(pid) + nodeCpu() - cpuBefore) / 5 };
};
const fullDossier = await timed(() => renderer.dossier(dossier));
// The documents printed once, as the app stores each approved version; the dossier then joins them.
const stored = await Promise.all(documents.map((d) => renderer.document(d)));
// Cold: a cover that shows another day each time, so its front matter is printed (once per dossier).
let printsBefore = renderer.stats().prints;
const assembledCold = await timed((i) => assembleDossier(renderer, dossierOn(1 + i), stored));
const printsPerCold = (renderer.stats().prints - printsBefore) / 5;
// Warm: the same front matter again, as when a dossier is asked for again before anything changed.
printsBefore = renderer.stats().prints;
const mergeStart = performance.now();
const once = await assembleDossier(renderer, dossier, stored);
const firstWarm = performance.now() - mergeStart;
const assembledWarm = await timed(() => assembleDossier(renderer, dossier, stored));
const printsPerWarm = (renderer.stats().prints - printsBefore - 1) / 5;
await printer.close();
rmSync(dir, { recursive: true, force: true });

const coldRate = 1000 / coldDoc;
const cpuVsCold = (cpu: number) => `${cpu.toFixed(3)} CPU-s (${(coldCpu / cpu).toFixed(1)}x less than one cold document)`;
const rows = [
  ['cold chromium --print-to-pdf, one document', `${coldRate.toFixed(2)} docs/s`, '1.0x (baseline)', `${coldCpu.toFixed(3)} CPU-s/doc`],
  ...levels.map((level) => {
    const { rate, cpu } = measured.get(level)!;
    const name = `Troika, ${level} at a time${level === cores ? ' (default: 1 per core)' : ''}`;
    return [name, `${rate.toFixed(2)} docs/s`, `${(rate / coldRate).toFixed(1)}x`, `${cpu.toFixed(3)} CPU-s/doc (${(coldCpu / cpu).toFixed(1)}x less)`];
  }),
  ['cold chromium, the dossier', `${(coldDossier / 1000).toFixed(2)} s`, '1.0x (baseline)', ''],
  [`Troika, the dossier printed whole (${documents.length} documents)`, `${(fullDossier.ms / 1000).toFixed(3)} s`, `${(coldDossier / fullDossier.ms).toFixed(1)}x faster`, cpuVsCold(fullDossier.cpu)],
  [`dossier from stored prints, cold (${printsPerCold} print each)`, `${(assembledCold.ms / 1000).toFixed(3)} s`, `${(coldDossier / assembledCold.ms).toFixed(1)}x faster`, cpuVsCold(assembledCold.cpu)],
  [`dossier from stored prints, warm (${printsPerWarm} prints each)`, `${(assembledWarm.ms / 1000).toFixed(3)} s`, `${(coldDossier / assembledWarm.ms).toFixed(1)}x faster`, cpuVsCold(assembledWarm.cpu)],
];
console.log(`PDF benchmark: ${ROUNDS} documents per run, median of ${COLD_ROUNDS} cold starts, same HTML both sides, ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`prints whose page-number guess was wrong and were printed a second time: ${reprinted.join(', ')}`);
console.log(`where a document's time goes, one at a time (ms each): ${phasesOneAtATime}`);
for (const [what, value, ratio, cpu] of rows) console.log(`${what!.padEnd(56)} ${value!.padStart(14)}  ${ratio!.padEnd(16)} ${cpu}`);
console.log(`the warm dossier: ${(once.length / 1024).toFixed(0)} KB, ${stored.length} stored prints joined; the first of them ${firstWarm.toFixed(0)} ms (its front matter printed then)`);
const headline = measured.get(cores)!.rate / coldRate;
console.log(`default concurrency: ${headline.toFixed(1)}x the cold command (aim >= 20x); dossier from stored prints ${(assembledWarm.ms / 1000).toFixed(3)} s warm, ${(assembledCold.ms / 1000).toFixed(3)} s cold (aim < 0.1 s warm)`);
