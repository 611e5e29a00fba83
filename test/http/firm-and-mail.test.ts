import { expect } from 'chai';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { completeTraining, makeEngagement, makeUser } from '../helpers/factories.ts';
import { useWebApp, setPassword, WebClient, readMail } from '../helpers/web.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import { createEngagement } from '../../src/engagement/engagement.service.ts';
import { ForbiddenError } from '../../src/errors.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { assignTask, completeTask } from '../../src/engagement/tasks.service.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { getDocumentPdf, getStageReportPdf } from '../../src/pdf/pdf.service.ts';
import { pageTexts } from '../../src/pdf/outline.ts';
import { contentOf } from '../helpers/content.ts';
import { createFolderMailer } from '../../src/mail/mailer.ts';

describe('who may open engagements, and what invitations reveal', function () {
  this.timeout(60_000);
  const s = useWebApp();
  let admin: User;
  beforeEach(async () => {
    admin = await makeUser(s.db.orm, 'Firm Admin', 'admin');
    await setPassword(s.db, admin.id);
  });

  const engagementCount = () => s.db.orm.em.fork().count(Engagement, {});

  it('refuses owners and staff the new-engagement form and its post, through HTTP and the service, and creates nothing', async () => {
    const before = await engagementCount();
    for (const person of [s.cast.owner, s.cast.staff[0]!]) {
      const client = new WebClient(s.app.url);
      await client.signIn(person.email);
      const home = await client.get('/');
      expect(home.text, `${person.name} is offered no "New engagement"`).not.to.contain('href="/engagements/new"');
      expect((await client.get('/engagements/new')).status).to.equal(403);
      const posted = await client.post('/engagements', { clientName: 'Mine now', plannedStart: '2026-12-01', methodology: '' });
      expect(posted.status, `${person.name} posting the form`).to.equal(403);
      const refusal = await createEngagement(s.app.deps, person.id, { clientName: 'Mine now', plannedStart: '2026-12-01' }).catch((e: unknown) => e);
      expect(refusal).to.be.instanceOf(ForbiddenError);
    }
    expect(await engagementCount()).to.equal(before);
  });

  it('lets the firm administrator make a consultant account, whose holder sets a password and opens an engagement', async () => {
    const adminClient = new WebClient(s.app.url);
    await adminClient.signIn(admin.email);
    expect((await adminClient.get('/firm/consultants')).status).to.equal(200);
    const made = await adminClient.post('/firm/consultants', { name: 'Nadia New', email: 'nadia@firm.example' });
    expect(made.status).to.equal(303);
    const again = await adminClient.post('/firm/consultants', { name: 'Someone', email: s.cast.owner.email });
    expect(again.status, 'an address with an account is refused').to.equal(422);
    expect((await s.db.orm.em.fork().findOneOrFail(User, s.cast.owner.id)).firmRole, 'the client stays a client').to.equal(null);

    const link = /\/invitations\/[\w-]+/.exec(readMail(s.app.mailDir).find((m) => m.to === 'nadia@firm.example')!.body)![0];
    const nadia = new WebClient(s.app.url);
    await nadia.get(link);
    expect((await nadia.post(link, { password: 'a long new password', confirm: 'a long new password' })).status).to.equal(303);
    expect((await nadia.signIn('nadia@firm.example', 'a long new password')).status).to.equal(303);
    await nadia.get('/engagements/new');
    const created = await nadia.post('/engagements', { clientName: 'Nadia’s client', plannedStart: '2026-12-01', methodology: '' });
    expect(created.status).to.equal(303);
    expect(created.location).to.match(/^\/engagements\/[0-9a-f-]{36}$/);
  });

  it('keeps the consultants page to the firm administrator', async () => {
    for (const person of [s.cast.consultant, s.cast.owner]) {
      const client = new WebClient(s.app.url);
      await client.signIn(person.email);
      expect((await client.get('/firm/consultants')).status).to.equal(403);
      await client.get('/');
      expect((await client.post('/firm/consultants', { name: 'X', email: 'x@firm.example' })).status).to.be.within(400, 499);
    }
    expect(await s.db.orm.em.fork().count(User, { email: 'x@firm.example' })).to.equal(0);
  });

  it('never puts a line break of a client name into a mail header', async () => {
    const consultant = new WebClient(s.app.url);
    await consultant.signIn(s.cast.consultant.email);
    await consultant.get('/engagements/new');
    const forged = 'Anna Co\r\nBcc: attacker@example.com';
    // A name is one line: the form refuses the line break outright.
    const refused = await consultant.post('/engagements', { clientName: forged, plannedStart: '2026-12-01', methodology: '' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('must be on one line');
    // And should one ever reach the mailer, nodemailer keeps it inside the subject.
    await createFolderMailer(s.app.mailDir).send({ to: 'victim@example.com', subject: `Troika: invitation to ${forged}`, text: 'x' });
    const mail = readMail(s.app.mailDir).find((m) => m.to === 'victim@example.com')!;
    expect(mail.headers).not.to.match(/^bcc:/im);
    expect(mail.headers.split('\n').filter((l) => /attacker/.test(l)).every((l) => /^Subject:/.test(l)), 'the name stays inside the subject').to.equal(true);
    expect(mail.subject).to.contain('Anna Co');
  });

  it('keeps written mail private: the folder 0700 and every file 0600', async () => {
    const consultant = new WebClient(s.app.url);
    await consultant.signIn(s.cast.consultant.email);
    await consultant.get(`/engagements/${s.engagementId}`);
    await consultant.post(`/engagements/${s.engagementId}/participants`, { email: 'new.one@example.com', name: 'New One', role: 'staff', direction: 'other' });
    expect(statSync(s.app.mailDir).mode & 0o777).to.equal(0o700);
    const files = readdirSync(s.app.mailDir);
    expect(files.length).to.be.greaterThan(0);
    for (const f of files) expect(statSync(join(s.app.mailDir, f)).mode & 0o777, f).to.equal(0o600);
  });

  it("shows an invited existing account under the name the inviter typed, never the account's own name", async () => {
    const other = await makeEngagement(s.app.deps);
    const secretName = 'Private Person Realname';
    const em = s.db.orm.em.fork();
    const victim = await em.findOneOrFail(User, other.cast.owner.id);
    victim.name = secretName;
    await em.flush();

    const consultant = new WebClient(s.app.url);
    await consultant.signIn(s.cast.consultant.email);
    await consultant.get(`/engagements/${s.engagementId}`);
    const invited = await consultant.post(`/engagements/${s.engagementId}/participants`, { email: victim.email, name: 'Guessed Name', role: 'staff', direction: 'sales' });
    expect(invited.status).to.equal(303);
    const pages = [await consultant.follow(invited), await consultant.get(`/engagements/${s.engagementId}`), await consultant.get(`/engagements/${s.engagementId}/training`)];
    for (const page of pages) expect(page.text).not.to.contain(secretName);
    expect(pages[1]!.text).to.contain('Guessed Name');

    // Once the person acts, the event log, the document page and the PDFs name them the same way.
    // Joining in Preparation, the person was given the methods kit's module: they complete it (quiz, practical work).
    await completeTraining(s.app.deps, s.engagementId, s.cast, 'preparation');
    const version = await submitDocumentVersion(s.app.deps, victim.id, s.engagementId, 'competitor-analysis', await contentOf('competitor-analysis', 'by the invited person'));
    const after = [await consultant.get(`/engagements/${s.engagementId}`), await consultant.get(`/engagements/${s.engagementId}/documents/${version.document.id}`)];
    for (const page of after) expect(page.text).not.to.contain(secretName);
    expect(after[0]!.text).to.contain('Guessed Name');
    const label = (status: string) => status;
    const prints = [
      await getStageReportPdf(s.app.deps, s.cast.consultant.id, s.engagementId, 'preparation', 'en', label),
      await getDocumentPdf(s.app.deps, s.cast.consultant.id, s.engagementId, version.document.id, 'en'),
    ];
    for (const print of prints) expect((await pageTexts(print.bytes)).join(' ')).not.to.contain(secretName);
    // A narrow table cell may break the name over two lines.
    expect((await pageTexts(prints[0]!.bytes)).join(' ').replace(/\s+/g, ' ')).to.contain('Guessed Name');
  });
});
