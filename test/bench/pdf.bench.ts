// PDF throughput against a cold `chromium --headless --print-to-pdf` of the same HTML, measured in the same run.
// Run with `npm run bench:pdf`; prints ratios, since the machines are shared and absolute times are noisy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { buildDocumentPrint, buildDossierPrint, type DocumentSource } from '../../src/pdf/print-models.ts';
import { createHtmlRenderer } from '../../src/pdf/render-html.ts';
import { createBrowserPool } from '../../src/pdf/browser-pool.ts';
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
const dossier = buildDossierPrint({ client: 'Пекарня «Колосок»', methodology: e1t.name.ru, generatedAt: new Date(), documents: sources, log: [] }, 'ru');

const dir = mkdtempSync(join(tmpdir(), 'troika-bench-'));
chmodSync(dir, 0o755);

/** The baseline: a new browser process per PDF, as a plain command would do it. */
function coldPrint(file: string): number {
  const start = performance.now();
  execFileSync(browser!.path, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${join(dir, 'out.pdf')}`, `file://${file}`], { stdio: 'ignore' });
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const docFile = join(dir, 'document.html');
writeFileSync(docFile, html.document(documents[0]!));
const dossierFile = join(dir, 'dossier.html');
writeFileSync(dossierFile, html.dossier(dossier));
coldPrint(docFile); // first start warms the disk cache for both sides
const coldDoc = median(Array.from({ length: COLD_ROUNDS }, () => coldPrint(docFile)));
const coldDossier = median(Array.from({ length: Math.max(3, Math.floor(COLD_ROUNDS / 2)) }, () => coldPrint(dossierFile)));

const reprinted: string[] = [];
async function throughput(concurrency: number): Promise<number> {
  const printer = createBrowserPool({ concurrency });
  const renderer = createPdfRenderer(html, printer);
  await renderer.document(documents[0]!); // the browser starts once per process, not per PDF
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ROUNDS) await renderer.document(documents[next++ % documents.length]!);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await printer.close();
  const { prints, reprints } = renderer.stats();
  reprinted.push(`${reprints}/${prints}`);
  return ROUNDS / seconds;
}

const sequential = await throughput(1);
const concurrent = await throughput(2);
const concurrent4 = await throughput(4);

const printer = createBrowserPool({ concurrency: 2 });
const renderer = createPdfRenderer(html, printer);
await renderer.document(documents[0]!);
const dossierTimes: number[] = [];
for (let i = 0; i < 3; i++) {
  const start = performance.now();
  await renderer.dossier(dossier);
  dossierTimes.push(performance.now() - start);
}
await printer.close();
rmSync(dir, { recursive: true, force: true });

const coldRate = 1000 / coldDoc;
const rows = [
  ['cold chromium --print-to-pdf, one document', `${coldRate.toFixed(2)} docs/s`, '1.0x (baseline)'],
  ['Troika, one at a time', `${sequential.toFixed(2)} docs/s`, `${(sequential / coldRate).toFixed(1)}x`],
  ['Troika, 2 at a time', `${concurrent.toFixed(2)} docs/s`, `${(concurrent / coldRate).toFixed(1)}x`],
  ['Troika, 4 at a time', `${concurrent4.toFixed(2)} docs/s`, `${(concurrent4 / coldRate).toFixed(1)}x`],
  ['cold chromium, the dossier', `${(coldDossier / 1000).toFixed(2)} s`, '1.0x (baseline)'],
  [`Troika, the dossier (${documents.length} documents)`, `${(median(dossierTimes) / 1000).toFixed(2)} s`, `${(coldDossier / median(dossierTimes)).toFixed(1)}x faster`],
];
console.log(`PDF benchmark: ${ROUNDS} documents per run, median of ${COLD_ROUNDS} cold starts, same HTML both sides`);
console.log(`prints whose page-number guess was wrong and were printed a second time: ${reprinted.join(', ')}`);
for (const [what, value, ratio] of rows) console.log(`${what!.padEnd(48)} ${value!.padStart(14)}  ${ratio}`);
