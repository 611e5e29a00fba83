import { expect } from 'chai';
import libmime from 'libmime';
import { useWebApp, readMail, WebClient } from '../helpers/web.ts';
import { completeCurrentStage, correctAnswers } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import { buildDocumentPrint, buildDossierPrint } from '../../src/pdf/print-models.ts';
import type { Methodology } from '../../src/methodology/methodology.schema.ts';

/** What a reader sees: the page without its tags' attributes and hidden form values. */
const visibleText = (html: string) => html.replace(/<input[^>]*>/g, '').replace(/<[^>]+>/g, ' ');
const fromOf = (mail: { headers: string }) => libmime.decodeWords(/^From: (.*)$/im.exec(mail.headers)?.[1] ?? '');

describe('reviewing a document, training results, and account e-mails', function () {
  this.timeout(120_000);
  const s = useWebApp();
  const methodology = async (): Promise<Methodology> =>
    (await s.db.orm.em.fork().findOneOrFail(Engagement, s.engagementId, { populate: ['methodology.definition'] })).methodology.definition;

  describe('a document in review', () => {
    async function twoVersions() {
      const first = await contentOf('content-concept', 'first');
      const rows = first.weekdayThemes as { day: string; theme: string }[];
      const second = {
        ...first,
        postsPerWeek: 9,
        weekdayThemes: [{ ...rows[0]!, theme: 'Fresh bread at dawn' }, rows[1]!, { day: rows[0]!.day, theme: 'A brand new row' }],
      };
      await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', first);
      const v2 = await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', second);
      return { first, second, v2, page: `/engagements/${s.engagementId}/documents/${v2.document.id}` };
    }

    it('marks each changed field in place, the old value struck through next to the new, and table rows as changed or added', async () => {
      const { first, v2, page } = await twoVersions();
      const owner = await s.signedIn(s.cast.owner);
      const html = (await owner.get(page)).text;
      expect(html).to.match(/<dd class="field-changed"><del class="diff-removed"[^>]*>40<\/del> <ins class="diff-added">9<\/ins><\/dd>/);
      const oldTheme = (first.weekdayThemes as { theme: string }[])[0]!.theme;
      expect(html).to.match(new RegExp(`<tr class="row-changed">[\\s\\S]*?<del class="diff-removed">${oldTheme}</del> <ins class="diff-added">Fresh bread at dawn</ins>`));
      expect(html).to.match(/<tr class="row-added">[\s\S]*?<ins class="diff-added">A brand new row<\/ins>/);
      expect((html.match(/<tr class="row-same">/g) ?? []).length, 'the untouched row stays unmarked').to.equal(1);
      expect(html).to.contain('class="doc-section section-changed"');
      expect(html).to.contain('marks=off');
      expect(visibleText(html), 'no content hash on the page').not.to.contain(v2.contentHash.slice(0, 12));
    });

    it('shows the whole document without marks from the switch', async () => {
      const { first, page } = await twoVersions();
      const owner = await s.signedIn(s.cast.owner);
      const html = (await owner.get(`${page}?version=2&marks=off`)).text;
      expect(html).not.to.contain('diff-removed');
      expect(html).not.to.contain('diff-added');
      expect(html).to.contain('Fresh bread at dawn');
      expect(html).not.to.contain((first.weekdayThemes as { theme: string }[])[0]!.theme);
    });

    it('shows removed table rows as removed, and list items added and removed in the list', async () => {
      const first = await contentOf('content-concept', 'gone');
      const rows = first.weekdayThemes as unknown[];
      const formats = first.formats as string[];
      await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', first);
      const v2 = await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', { ...first, weekdayThemes: [rows[0]], formats: [formats[0], 'Short videos'] });
      const owner = await s.signedIn(s.cast.owner);
      const html = (await owner.get(`/engagements/${s.engagementId}/documents/${v2.document.id}`)).text;
      expect(html).to.match(/<tr class="row-removed"><td class="row-mark">removed<\/td>/);
      expect(html).to.contain('<li class="line-added"><ins class="diff-added">Short videos</ins></li>');
      expect(html).to.contain(`<li class="line-removed"><del class="diff-removed">${formats[1]}</del></li>`);
      expect(html).to.contain(`<li>${formats[0]}</li>`);
    });

    it('keeps content hashes off the engagement page and the PDF cover, and in the dossier only in the approval log and its certificate', async () => {
      const { v2 } = await twoVersions();
      await approveDocument(s.app.deps, s.cast.owner.id, s.engagementId, v2.document.id, v2.contentHash);
      const consultant = await s.signedIn(s.cast.consultant);
      expect(visibleText((await consultant.get(`/engagements/${s.engagementId}`)).text)).not.to.contain(v2.contentHash.slice(0, 12));
      const type = (await methodology()).documentTypes.find((t) => t.id === 'content-concept')!;
      const source = { client: 'Kolosok', type, version: { number: 2, hash: v2.contentHash, content: v2.content, author: 'C', createdAt: new Date() }, approval: null };
      const print = buildDocumentPrint(source, 'en');
      expect(JSON.stringify(print)).not.to.contain(v2.contentHash.slice(0, 16));
      const dossier = buildDossierPrint(
        { client: 'Kolosok', methodology: 'E1T', generatedAt: new Date(), documents: [source], log: [{ document: 'Concept', version: 2, hash: v2.contentHash, decision: 'approved', by: 'Owner', at: new Date() }] },
        'en',
      );
      // Once cut short in the approval log's row, and once in full on the approval certificate after it.
      const text = JSON.stringify(dossier);
      expect(text, 'the certificate names the whole hash').to.contain(v2.contentHash);
      expect(text.split(v2.contentHash.slice(0, 16)).length - 1, 'the hash appears in those two places only').to.equal(2);
    });
  });

  describe('training', () => {
    async function salesAssignment() {
      await completeCurrentStage(s.app.deps, s.engagementId, s.cast);
      await advanceStage(s.app.deps, s.cast.consultant.id, s.engagementId);
      const assignment = (await s.db.orm.em.fork().find(TrainingAssignment, { engagement: s.engagementId, user: s.cast.staff[0]!.id }, { orderBy: { moduleId: 'asc' } }))[0]!;
      const module = (await methodology()).trainingModules.find((m) => m.id === assignment.moduleId)!;
      return { assignment, module, page: `/engagements/${s.engagementId}/training/${assignment.id}` };
    }

    it('shows a chosen wrong answer as wrong and a chosen right one as right after an attempt', async () => {
      const { module, page } = await salesAssignment();
      const answers = correctAnswers(module);
      const [wrongQuestion] = module.quiz.questions;
      const wrongAnswer = wrongQuestion!.answers.find((a) => !a.correct)!;
      const staff = await s.signedIn(s.cast.staff[0]!);
      await staff.get(page);
      const fields = Object.fromEntries(Object.entries({ ...answers, [wrongQuestion!.id]: [wrongAnswer.id] }).map(([q, ids]) => [`q.${q}`, ids[0]!]));
      expect((await staff.post(`${page}/quiz`, fields)).status).to.equal(303);
      const html = (await staff.get(page)).text;
      expect(html).to.match(new RegExp(`<li class="answer answer-chosen-wrong">☑ ${wrongAnswer.text.en.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} <span class="answer-mark">✗ your answer, not correct</span>`));
      expect(html).to.contain('class="question question-wrong"');
      expect(html).to.contain('class="answer answer-chosen-right"');
      expect(html).not.to.match(/<li class="ok">/);
    });

    it('lets the consultant tick the checklist while reviewing the staff member’s work, and shows the staff member which items failed', async () => {
      const { assignment, module, page } = await salesAssignment();
      const staff = await s.signedIn(s.cast.staff[0]!);
      await staff.get(page);
      await staff.post(`${page}/submission`, { submission: 'Here is my practical work, written with the checklist in mind.' });
      const consultant = await s.signedIn(s.cast.consultant);
      const review = (await consultant.get(page)).text;
      expect(review).to.contain(`Work by ${s.cast.staff[0]!.name}`);
      expect(review).not.to.contain('Your submission');
      const items = module.assignment.checklist.en;
      expect(items.length).to.be.greaterThan(1);
      expect((review.match(/<input type="checkbox" name="item" value="\d+">/g) ?? []).length).to.equal(items.length);
      expect((await consultant.post(`${page}/review`, { decision: 'return', item: '0', comment: 'Two points are missing.' })).status).to.equal(303);
      expect((await s.db.orm.em.fork().findOneOrFail(TrainingAssignment, assignment.id)).checklistPassed).to.deep.equal([0]);
      const seen = (await staff.get(page)).text;
      expect(seen).to.contain('<li class="item-passed">');
      expect((seen.match(/<li class="item-failed">/g) ?? []).length).to.equal(items.length - 1);
      expect(seen).to.contain('not met yet');
    });
  });

  describe('account e-mails', () => {
    const invite = async (client: WebClient, email: string) => {
      await client.get(`/engagements/${s.engagementId}`);
      return client.post(`/engagements/${s.engagementId}/participants`, { email, name: 'New Person', role: 'staff', direction: 'other' });
    };

    it('sends an invitation from the inviting consultant via Troika, dated, naming the inviter and the engagement', async () => {
      const consultant = await s.signedIn(s.cast.consultant);
      expect((await invite(consultant, 'new.person@example.com')).status).to.equal(303);
      const mail = readMail(s.app.mailDir).find((m) => m.to === 'new.person@example.com')!;
      expect(fromOf(mail)).to.equal(`${s.cast.consultant.name} via Troika <no-reply@troika.invalid>`);
      expect(mail.headers).to.match(/^Date: \w{3}, \d{1,2} \w{3} \d{4} /m);
      expect(mail.subject).to.equal(`${s.cast.consultant.name} invites you to the engagement Kolosok Bakery`);
      expect(mail.body).to.contain(`${s.cast.consultant.name} invites you to take part in the engagement "Kolosok Bakery"`);
      expect(mail.body).not.to.match(/[а-я]/i);
    });

    it('writes to a new account in the inviter’s language, and a Cyrillic sender name stays encoded in the header', async () => {
      const em = s.db.orm.em.fork();
      const me = await em.findOneOrFail(User, s.cast.consultant.id);
      Object.assign(me, { locale: 'ru', name: 'Вера Консультант' });
      await em.flush();
      const consultant = await s.signedIn(s.cast.consultant);
      await invite(consultant, 'novaya@example.com');
      const mail = readMail(s.app.mailDir).find((m) => m.to === 'novaya@example.com')!;
      expect(mail.headers).not.to.match(/^From: .*Вера/m);
      expect(fromOf(mail)).to.equal('Вера Консультант via Troika <no-reply@troika.invalid>');
      expect(mail.subject).to.equal('Вера Консультант приглашает вас в проект «Kolosok Bakery»');
      expect(mail.body).to.contain('Задайте пароль по ссылке');
      expect((await s.db.orm.em.fork().findOneOrFail(User, { email: 'novaya@example.com' })).locale).to.equal('ru');
    });

    it('sends a password reset from Troika in the account’s own language', async () => {
      const em = s.db.orm.em.fork();
      const owner = await em.findOneOrFail(User, s.cast.owner.id);
      owner.locale = 'ru';
      await em.flush();
      const browser = new WebClient(s.app.url);
      await browser.get('/password/forgot');
      await browser.post('/password/forgot', { email: s.cast.owner.email });
      let mail: ReturnType<typeof readMail>[number] | undefined;
      for (const until = Date.now() + 5_000; !mail && Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
        mail = readMail(s.app.mailDir).find((m) => m.to === s.cast.owner.email && /пароль/.test(m.subject));
      }
      expect(mail, 'a Russian reset e-mail').not.to.equal(undefined);
      expect(fromOf(mail!)).to.equal('Troika <no-reply@troika.invalid>');
      expect(mail!.body).to.contain('Задайте новый пароль');
    });
  });
});
