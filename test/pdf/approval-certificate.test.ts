import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { getDossierPdf } from '../../src/pdf/pdf.service.ts';
import { pageTexts } from '../../src/pdf/outline.ts';
import { GeneratedPdf } from '../../src/pdf/generated-pdf.entity.ts';

const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('verifiable approvals: the dossier\'s certificate and /verify/<hash>', function () {
  this.timeout(180_000);
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

  async function approve(typeId: string, tag: string) {
    const version = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, typeId, await contentOf(typeId, tag));
    await approveDocument(app.deps, cast.owner.id, engagementId, version.document.id, version.contentHash);
    return version;
  }

  it('ends the dossier with a certificate page naming every approved version\'s SHA-256, approver and time, in both languages', async () => {
    const first = await approve('target-criteria', 'criteria one');
    const second = await approve('target-criteria', 'criteria two');
    const other = await approve('competitor-analysis', 'rivals');
    for (const [locale, heading, approver] of [['en', 'Approval certificate', 'Owner'], ['ru', 'Сертификат утверждений', 'Owner']] as const) {
      const pages = await pageTexts((await getDossierPdf(app.deps, cast.owner.id, engagementId, locale)).bytes);
      const last = pages.at(-1)!;
      expect(last, `the last page is the certificate (${locale})`).to.contain(heading);
      expect(pages.slice(0, -1).some((p) => p.includes(heading)), 'the certificate has a page of its own').to.equal(false);
      // A hash may wrap inside its cell: the page is read without spaces.
      const squeezed = last.replace(/\s+/g, '');
      for (const v of [first, second, other]) expect(squeezed, `version ${v.number} of ${v.document.typeId} by its full hash`).to.contain(v.contentHash);
      expect(last).to.contain(approver);
      expect(squeezed, 'the minute of the approval, in UTC').to.contain(app.deps.clock().toISOString().slice(0, 16).replace('T', ''));
    }
  });

  it('verifies an approved version and a printed dossier by their SHA-256 for participants, and answers "not found" to anyone else', async () => {
    const approved = await approve('target-criteria', 'criteria');
    await setPassword(db, cast.owner.id);
    const owner = new WebClient(app.url);
    await owner.signIn(cast.owner.email);

    const version = await owner.get(`/verify/${approved.contentHash}`);
    expect(version.status).to.equal(200);
    expect(plain(version.text)).to.contain('“Target criteria (social-network KPIs)”, version 1, in the engagement with Kolosok Bakery');
    expect(plain(version.text)).to.match(/Approved by Owner, /);

    const res = await fetch(`${app.url}/engagements/${engagementId}/dossier.pdf`, { headers: { cookie: `troika.sid=${owner.sessionId()}` } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    const stored = await db.orm.em.fork().findOneOrFail(GeneratedPdf, { kind: 'dossier' }, { fields: ['sha256'] });
    expect(stored.sha256, 'the print\'s own hash is kept').to.equal(sha);
    const pdf = plain((await owner.get(`/verify/${sha.toUpperCase()}`)).text);
    expect(pdf).to.contain('The project dossier of Kolosok Bakery, printed');

    await owner.post('/language', { locale: 'ru', back: '/' });
    const ru = plain((await owner.get(`/verify/${sha}`)).text);
    expect(ru).to.contain('Проектное досье клиента Kolosok Bakery, сформировано');
    expect(plain((await owner.get(`/verify/${approved.contentHash}`)).text)).to.match(/Утвердил\(а\) Owner, /);

    const unapproved = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'competitor-analysis', await contentOf('competitor-analysis'));
    expect(plain((await owner.get(`/verify/${unapproved.contentHash}`)).text)).to.contain('Эта версия не утверждалась.');

    const stranger = await makeEngagement(app.deps);
    await setPassword(db, stranger.cast.owner.id);
    const outsider = new WebClient(app.url);
    await outsider.signIn(stranger.cast.owner.email);
    for (const hash of [approved.contentHash, sha, 'f'.repeat(64), 'not-a-hash']) {
      expect((await outsider.get(`/verify/${hash}`)).status, `an outsider learns nothing of ${hash.slice(0, 8)}`).to.equal(404);
    }
    expect((await new WebClient(app.url).get(`/verify/${sha}`)).status, 'signed-out visitors go to sign in').to.equal(303);
  });
});
