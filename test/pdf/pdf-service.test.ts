import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, completeCurrentStage, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { getDocumentPdf, getDossierPdf, getStageReportPdf } from '../../src/pdf/pdf.service.ts';
import { pageTexts } from '../../src/pdf/outline.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';
import { ProjectDocument } from '../../src/documents/document.entity.ts';

const text = async (bytes: Uint8Array) => (await pageTexts(bytes)).join('\n').replace(/\s+/g, ' ');
const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
const LOG_TITLE = 'Журнал утверждений';

/**
 * Checks that the contents (page 2) name, for each title, the page it starts on, and returns those pages:
 * a document's pages carry its title in the running header, the log starts with its heading.
 */
async function expectContentsRight(bytes: Uint8Array, titles: string[]): Promise<{ pages: string[]; starts: number[] }> {
  const pages = (await pageTexts(bytes)).map((page) => page.replace(/\s+/g, ' '));
  const contents = pages[1]!;
  const starts: number[] = [];
  for (const title of [...titles, LOG_TITLE]) {
    const escaped = title.replace(/[()]/g, '\\$&');
    const entry = new RegExp(`(\\d+)\\. ${escaped} (\\d+)`).exec(contents);
    expect(entry, `${title} is in the contents: ${contents}`).to.not.equal(null);
    const page = Number(entry![2]);
    starts.push(page);
    const marker = title === LOG_TITLE ? `${entry![1]}. ${title}` : `${title} · Версия`;
    expect(pages[page - 1], `${title} starts on page ${page}`).to.contain(marker);
    expect(pages[page - 2], `${title} starts on page ${page}, not before`).not.to.contain(marker);
  }
  expect(new Set(starts).size, 'each part on pages of its own').to.equal(starts.length);
  expect(pages.length, 'the log is the last part').to.be.at.least(starts.at(-1)!);
  return { pages, starts };
}

describe('PDF downloads: documents, the dossier and stage reports', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let app: TestApp;
  let engagementId: string;
  let cast: Cast;

  beforeEach(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    ({ engagementId, cast } = await makeEngagement(app.deps));
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  it('prints a version once and serves the stored copy after; a new version prints anew', async () => {
    const v1 = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'target-criteria', await contentOf('target-criteria', 'цели-один'));
    const first = await getDocumentPdf(app.deps, cast.owner.id, engagementId, v1.document.id, 'ru');
    const again = await getDocumentPdf(app.deps, cast.consultant.id, engagementId, v1.document.id, 'ru');
    expect([first.isFromCache, again.isFromCache]).to.deep.equal([false, true]);
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).to.equal(true);
    expect(await text(first.bytes)).to.contain('Черновик');

    await approveDocument(app.deps, cast.owner.id, engagementId, v1.document.id, v1.contentHash);
    const approved = await getDocumentPdf(app.deps, cast.owner.id, engagementId, v1.document.id, 'en');
    expect(approved.isFromCache, 'the approval changes the footer, so it prints again').to.equal(false);
    expect(await text(approved.bytes)).to.match(/Approved by Owner on \d+ \w+ \d{4}/);

    const v2 = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'target-criteria', await contentOf('target-criteria', 'цели-два'));
    const second = await getDocumentPdf(app.deps, cast.owner.id, engagementId, v2.document.id, 'ru');
    expect(second.isFromCache).to.equal(false);
    expect(await text(second.bytes)).to.contain('цели-два');
    const old = await getDocumentPdf(app.deps, cast.owner.id, engagementId, v2.document.id, 'ru', 1);
    expect(await text(old.bytes), 'version 1 can still be printed').to.contain('цели-один');
  });

  it('puts every latest approved document in methodology order in the dossier, with the approval log', async () => {
    await completeCurrentStage(app.deps, engagementId, cast);
    await advanceStage(app.deps, cast.consultant.id, engagementId);
    await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'site-changes', await contentOf('site-changes', 'сайт-черновик'));
    const file = await getDossierPdf(app.deps, cast.owner.id, engagementId, 'ru');
    const pages = await pageTexts(file.bytes);
    const all = pages.join('\n').replace(/\s+/g, ' ');
    const contents = pages[1]!.replace(/\s+/g, ' ');
    const prepTypes = e1t.stages[0]!.tasks.flatMap((t) => (t.documentType ? [t.documentType] : []));
    // The contents page numbers the parts in the order they are printed.
    const numbers = prepTypes.map((id) => {
      const title = e1t.documentTypes.find((d) => d.id === id)!.title.ru;
      const match = new RegExp(`(\\d+)\\. ${title.replace(/[()]/g, '\\$&')}`).exec(contents);
      expect(match, `${title} is in the contents`).to.not.equal(null);
      return Number(match![1]);
    });
    expect(numbers).to.deep.equal(numbers.map((_, i) => i + 1));
    expect(all).to.contain('Журнал утверждений');
    expect(all).not.to.contain('сайт-черновик');
    const cachedCopy = await getDossierPdf(app.deps, cast.consultant.id, engagementId, 'ru');
    expect(cachedCopy.isFromCache).to.equal(true);
  });

  it('assembles the dossier from the stored prints: no document is printed again, and the contents name the page each starts on', async () => {
    await completeCurrentStage(app.deps, engagementId, cast);
    const approved = await app.deps.orm.em.fork().find(ProjectDocument, { engagement: engagementId, approvedHash: { $ne: null } });
    expect(approved.length, 'the stage approved some documents').to.be.greaterThan(1);
    // One document is left unprinted, as a version approved before prints were stored would be.
    for (const document of approved.slice(1)) await getDocumentPdf(app.deps, cast.owner.id, engagementId, document.id, 'ru');
    const before = app.deps.pdf.stats().prints;
    const dossier = await getDossierPdf(app.deps, cast.owner.id, engagementId, 'ru');
    expect(app.deps.pdf.stats().prints - before, 'the missing document and the cover, contents and log: two prints').to.equal(2);

    const titles = approved.map((d) => e1t.documentTypes.find((t) => t.id === d.typeId)!.title.ru);
    await expectContentsRight(dossier.bytes, titles);

    // Every document now has its stored print: the next dossier (another language) prints only its own pages.
    const again = app.deps.pdf.stats().prints;
    await getDossierPdf(app.deps, cast.owner.id, engagementId, 'ru');
    expect(app.deps.pdf.stats().prints - again, 'a stored dossier prints nothing').to.equal(0);
    for (const document of approved) await getDocumentPdf(app.deps, cast.owner.id, engagementId, document.id, 'en');
    const english = app.deps.pdf.stats().prints;
    await getDossierPdf(app.deps, cast.owner.id, engagementId, 'en');
    expect(app.deps.pdf.stats().prints - english, 'only the cover, contents and log').to.equal(1);
  });

  it('makes a new dossier when a new version is approved, with its contents numbering the longer document right', async () => {
    await completeCurrentStage(app.deps, engagementId, cast, { signOff: false });
    const order = e1t.stages[0]!.tasks.flatMap((t) => (t.documentType ? [t.documentType] : []));
    const titles = order.map((id) => e1t.documentTypes.find((d) => d.id === id)!.title.ru);
    const before = await getDossierPdf(app.deps, cast.owner.id, engagementId, 'ru');
    const old = await expectContentsRight(before.bytes, titles);
    expect((await getDossierPdf(app.deps, cast.owner.id, engagementId, 'ru')).isFromCache, 'nothing changed: the stored dossier').to.equal(true);

    // A much longer version of the third document: every part after it starts pages later.
    const typeId = order[2]!;
    const type = e1t.documentTypes.find((d) => d.id === typeId)!;
    const long = Array.from({ length: 120 }, (_, i) => `Абзац ${i + 1} новой версии: достаточно длинный текст, чтобы документ занял больше страниц.`).join('\n\n');
    const content = Object.fromEntries(Object.entries(await contentOf(typeId, 'версия-два')).map(([id, value]) => [id, type.fields.find((f) => f.id === id)?.type === 'markdown' ? long : value]));
    const v2 = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, typeId, content);
    await approveDocument(app.deps, cast.owner.id, engagementId, v2.document.id, v2.contentHash);

    const after = await getDossierPdf(app.deps, cast.owner.id, engagementId, 'ru');
    expect(after.isFromCache, 'a new approval makes a new dossier').to.equal(false);
    const now = await expectContentsRight(after.bytes, titles);
    const all = now.pages.join(' ');
    expect(all, 'the new version is in the dossier').to.contain('Абзац 120 новой версии');
    expect(now.pages.filter((page) => page.includes(`${type.title.ru} · Версия 2`)).length, 'the new version runs over more pages').to.be.greaterThan(2);
    expect(now.starts.slice(0, 3), 'the parts before it start where they did').to.deep.equal(old.starts.slice(0, 3));
    expect(now.starts[3]!, 'the parts after it start later').to.be.greaterThan(old.starts[3]!);
    // The approval certificate follows the log on the last page: the log is read from its own first page on.
    expect(now.pages.slice(now.starts.at(-1)! - 1).join(' '), 'the log lists the new approval').to.match(/утверждено/);
    expect((await getDossierPdf(app.deps, cast.consultant.id, engagementId, 'ru')).isFromCache).to.equal(true);
  });

  it('prints a stage report with its tasks, documents and sign-off', async () => {
    await completeCurrentStage(app.deps, engagementId, cast);
    const report = await getStageReportPdf(app.deps, cast.owner.id, engagementId, 'preparation', 'en', (s) => s);
    const all = await text(report.bytes);
    expect(all).to.contain('Stage report: Preparation');
    expect(all).to.contain(e1t.stages[0]!.tasks[0]!.title.en.slice(0, 25));
    expect(all).to.match(/Signed off Owner/);
  });

  it('downloads PDFs over HTTP for members only', async () => {
    const v1 = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'content-concept', await contentOf('content-concept'));
    await setPassword(db, cast.owner.id);
    const owner = new WebClient(app.url);
    await owner.signIn(cast.owner.email);
    for (const path of [`/engagements/${engagementId}/documents/${v1.document.id}/pdf`, `/engagements/${engagementId}/dossier.pdf`, `/engagements/${engagementId}/stages/preparation/report.pdf`]) {
      const res = await fetch(app.url + path, { headers: { cookie: `troika.sid=${owner.sessionId()}` } });
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).to.equal('%PDF-');
    }
    const other = await makeEngagement(app.deps);
    await setPassword(db, other.cast.owner.id);
    const outsider = new WebClient(app.url);
    await outsider.signIn(other.cast.owner.email);
    expect((await outsider.get(`/engagements/${engagementId}/documents/${v1.document.id}/pdf`)).status).to.equal(404);
    expect((await outsider.get(`/engagements/${engagementId}/dossier.pdf`)).status).to.equal(404);
  });
});
