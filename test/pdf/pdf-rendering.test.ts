import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { buildDocumentPrint, buildDossierPrint, type DocumentSource } from '../../src/pdf/print-models.ts';
import { assembleDossier } from '../../src/pdf/dossier-assembly.ts';
import { pageTexts } from '../../src/pdf/outline.ts';
import { createBrowserPool, PdfUnavailableError } from '../../src/pdf/browser-pool.ts';
import { sampleContent } from '../helpers/content.ts';
import { sharedPdf } from '../helpers/pdf.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';
import type { DocumentType } from '../../src/methodology/methodology.schema.ts';

const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
const flat = (pages: string[]) => pages.join('\n').replace(/\s+/g, ' ');

function printOf(type: DocumentType, content: Record<string, unknown>, approved = true) {
  return buildDocumentPrint(
    { client: 'Пекарня «Колосок»', type, version: { number: 3, hash: 'c0ffee'.repeat(10) + 'abcd', content, author: 'Вера Консультант', createdAt: new Date('2026-11-20T10:00:00Z') }, approval: approved ? { by: 'Олег Владелец', at: new Date('2026-11-21T10:00:00Z') } : null },
    'ru',
  );
}

/** A local server that counts every request made to it. */
async function listeningServer(): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, hits };
}

describe('PDFs of project documents', function () {
  this.timeout(120_000);

  for (const type of e1t.documentTypes) {
    it(`prints "${type.id}" with its fields, Cyrillic text, contents page numbers, header and footer`, async () => {
      const content = sampleContent(type, `${type.id}-метка`);
      const pages = await pageTexts(await sharedPdf().pdf.document(printOf(type, content)));
      const text = flat(pages);
      expect(text).to.contain(type.title.ru);
      for (const f of type.fields) expect(text, `label of ${f.id}`).to.contain(f.label.ru.replace(/\s+/g, ' ').slice(0, 30));
      expect(text).to.contain(`${type.id}-метка`);
      expect(text, 'running footer').to.contain('Утверждено: Олег Владелец');
      expect(text, 'running header').to.contain('Пекарня «Колосок»');
      // Every contents line names the page on which its section really starts.
      const contents = pages[1]!.replace(/\s+/g, ' ');
      const entries = [...contents.matchAll(/(\d+)\. (.+?) (\d+)(?= \d+\. | Пекарня|$| Утверждено)/g)];
      expect(entries.length, contents).to.be.greaterThan(0);
      for (const [, number, title, page] of entries) {
        expect(pages[Number(page) - 1]!.replace(/\s+/g, ' '), `section ${number} on page ${page}`).to.contain(`${number}. ${title!.slice(0, 20)}`);
      }
    });
  }

  it('numbers the contents right for long tables too, where the first guess of the pages can be wrong', async () => {
    for (const type of e1t.documentTypes.filter((t) => t.fields.some((f) => f.type === 'table'))) {
      const content = sampleContent(type, 'длинная');
      for (const f of type.fields.filter((f) => f.type === 'table')) content[f.id] = Array.from({ length: 45 }, (_, i) => (content[f.id] as unknown[])[i % 2]);
      const pages = await pageTexts(await sharedPdf().pdf.document(printOf(type, content)));
      const contents = pages[1]!.replace(/\s+/g, ' ');
      for (const [, number, title, page] of contents.matchAll(/(\d+)\. (.+?) (\d+)(?= \d+\. | Пекарня|$| Утверждено)/g)) {
        expect(pages[Number(page) - 1]!.replace(/\s+/g, ' '), `${type.id}: section ${number} on page ${page}`).to.contain(`${number}. ${title!.slice(0, 20)}`);
      }
    }
  });

  it('prints a dossier front matter once for what it shows, and anew when a document runs over more pages', async () => {
    const { pdf } = sharedPdf();
    const types = e1t.documentTypes.filter((t) => t.fields.some((f) => f.type === 'table')).slice(0, 2);
    const sources: DocumentSource[] = types.map((type, i) => ({
      client: 'Пекарня «Колосок»',
      type,
      version: { number: 1, hash: `${i}`.padStart(64, 'b'), content: sampleContent(type, `фронт-${i}`), author: 'Вера', createdAt: new Date('2026-11-20T10:00:00Z') },
      approval: { by: 'Олег', at: new Date('2026-11-21T10:00:00Z') },
    }));
    const model = buildDossierPrint({ client: 'Пекарня «Колосок»', methodology: e1t.name.ru, generatedAt: new Date('2026-11-22T10:00:00Z'), documents: sources, log: [] }, 'ru');
    const prints = await Promise.all(sources.map((source) => pdf.document(buildDocumentPrint(source, 'ru'))));
    const before = pdf.stats().prints;
    const first = await assembleDossier(pdf, model, prints);
    const again = await assembleDossier(pdf, model, prints);
    expect(pdf.stats().prints - before, 'the same front matter is printed once').to.equal(1);
    expect(Buffer.from(again).equals(Buffer.from(first)), 'the same dossier').to.equal(true);

    // The same dossier, but the first document's print is longer: the contents must say so.
    const long = { ...sources[0]!.version.content };
    for (const f of types[0]!.fields.filter((f) => f.type === 'table')) long[f.id] = Array.from({ length: 90 }, (_, i) => (long[f.id] as unknown[])[i % 2]);
    const longer = [await pdf.document(buildDocumentPrint({ ...sources[0]!, version: { ...sources[0]!.version, content: long } }, 'ru')), prints[1]!];
    const printsBefore = pdf.stats().prints;
    const moved = await assembleDossier(pdf, model, longer);
    expect(pdf.stats().prints - printsBefore, 'other page counts: the front matter printed anew').to.equal(1);
    for (const [bytes, label] of [[first, 'first'], [moved, 'longer']] as const) {
      const pages = (await pageTexts(bytes)).map((page) => page.replace(/\s+/g, ' '));
      const title = types[1]!.title.ru;
      const page = Number(new RegExp(`2\\. ${title.replace(/[()]/g, '\\$&')} (\\d+)`).exec(pages[1]!)?.[1]);
      expect(pages[page - 1], `${label}: ${title} starts on page ${page}`).to.contain(`${title} · Версия`);
      expect(pages[page - 2], `${label}: ${title} starts on page ${page}, not before`).not.to.contain(`${title} · Версия`);
    }
    expect((await pageTexts(moved)).length, 'the longer document takes more pages').to.be.greaterThan((await pageTexts(first)).length);
  });

  it('prints a client name that could end a CSS string or the style element as text in the running header', async () => {
    const type = e1t.documentTypes[0]!;
    const client = 'Кафе "Уют"; } @page { @top-left { content: "взлом" } \\ </style><b>x</b>';
    const model = { ...printOf(type, sampleContent(type)), header: { client, document: type.title.ru, version: 'Версия 3' } };
    const pages = await pageTexts(await sharedPdf().pdf.document(model));
    for (const [i, page] of pages.entries()) expect(page.replace(/\s+/g, ' '), `header of page ${i + 1}`).to.contain(client.replace(/\s+/g, ' '));
    expect(pages.join(' ')).not.to.match(/(^|[^"])взлом/);
  });

  it('says "Draft" on a version nobody approved', async () => {
    const type = e1t.documentTypes[0]!;
    const text = flat(await pageTexts(await sharedPdf().pdf.document(printOf(type, sampleContent(type), false))));
    expect(text).to.contain('Черновик');
    expect(text).not.to.contain('Утверждено');
  });

  it('prints script and HTML payloads as text and makes no request at all', async () => {
    const { server, port, hits } = await listeningServer();
    try {
      const type = e1t.documentTypes.find((t) => t.fields.some((f) => f.type === 'markdown'))!;
      const hostile = [
        `<img src="http://127.0.0.1:${port}/img">`,
        `<style>body{background:url(http://127.0.0.1:${port}/css)}</style>`,
        `<script>document.write('SCRIPT' + '-RAN')</script>`,
        `![x](http://127.0.0.1:${port}/md-image)`,
        `[file](file:///etc/passwd) <a href="file:///etc/hostname">f</a>`,
        `<iframe src="file:///etc/passwd"></iframe>`,
      ].join('\n\n');
      const content = Object.fromEntries(Object.entries(sampleContent(type)).map(([k, v]) => [k, typeof v === 'string' ? hostile : v]));
      const text = flat(await pageTexts(await sharedPdf().pdf.document(printOf(type, content))));
      expect(text).to.contain('<script>');
      expect(text).to.contain(`<img src="http://127.0.0.1:${port}/img">`);
      expect(text).not.to.contain('SCRIPT-RAN');
      expect(text).not.to.match(/root:x:0:0/);
      expect(hits).to.deep.equal([]);
    } finally {
      server.close();
    }
  });

  it('blocks every request even for raw HTML that tries to load things', async () => {
    const { server, port, hits } = await listeningServer();
    try {
      const html = `<!doctype html><html><head><link rel="stylesheet" href="http://127.0.0.1:${port}/style.css">
        <style>@import url(http://127.0.0.1:${port}/import.css); body { background: url(http://127.0.0.1:${port}/bg.png) }
        @font-face { font-family: x; src: url(http://127.0.0.1:${port}/font.woff) } p { font-family: x }</style></head>
        <body><p>Привет</p><img src="http://127.0.0.1:${port}/img.png"><img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>
        <object data="http://127.0.0.1:${port}/object"></object><script src="http://127.0.0.1:${port}/script.js"></script>
        <script>fetch('http://127.0.0.1:${port}/fetch'); document.body.append('SCRIPT' + '-RAN')</script></body></html>`;
      const pdf = await sharedPdf().printer.print(html, { headerTemplate: '<span></span>', footerTemplate: '<span></span>' });
      const text = flat(await pageTexts(pdf));
      expect(text).to.contain('Привет');
      expect(text).not.to.contain('SCRIPT-RAN');
      expect(text).not.to.match(/root:x:0:0/);
      await new Promise((r) => setTimeout(r, 200));
      expect(hits).to.deep.equal([]);
    } finally {
      server.close();
    }
  });

  it('relaunches a crashed browser and retries, and leaves no browser process after shutdown', async () => {
    const printer = createBrowserPool({ concurrency: 1 });
    const html = '<p>раз</p>';
    const options = { headerTemplate: '<span></span>', footerTemplate: '<span></span>' };
    await printer.print(html, options);
    const first = (await printer.browserPid())!;
    process.kill(first, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const text = flat(await pageTexts(await printer.print('<p>два</p>', options)));
    expect(text).to.contain('два');
    const second = (await printer.browserPid())!;
    expect(second).to.be.a('number').and.not.equal(first);
    await printer.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(() => process.kill(second, 0), 'the browser is gone after close').to.throw();
  });

  it('says clearly why it cannot print when no browser exists', async () => {
    const printer = createBrowserPool({ env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' } });
    expect(await printer.unavailableReason()).to.match(/No Chromium or Chrome was found/);
    let error: Error | undefined;
    await printer.print('<p>x</p>', { headerTemplate: '', footerTemplate: '' }).catch((e: Error) => (error = e));
    expect(error).to.be.instanceOf(PdfUnavailableError);
    expect((error as PdfUnavailableError).code).to.equal('no-browser');
    await printer.close();
  });

  it('gives up on a print that takes longer than its timeout, after one retry', async () => {
    const printer = createBrowserPool({ timeoutMs: 1 });
    let error: Error | undefined;
    await printer.print('<p>slow</p>', { headerTemplate: '', footerTemplate: '' }).catch((e: Error) => (error = e));
    expect(error).to.be.instanceOf(PdfUnavailableError);
    expect((error as PdfUnavailableError).code).to.equal('timed-out');
    await printer.close();
  });
});
