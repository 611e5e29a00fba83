import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { contentOf } from '../helpers/content.ts';
import { makeUser, makeEngagement, completeCurrentStage, staffWorkTask } from '../helpers/factories.ts';
import { setPassword, readMail } from '../helpers/web.ts';
import { useBrowserSuite, fill, submit } from '../helpers/browser.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { ProjectDocument } from '../../src/documents/document.entity.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { User } from '../../src/users/user.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { createEngagement, startEngagement } from '../../src/engagement/engagement.service.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';

describe('journeys in a real browser', function () {
  this.timeout(120_000);
  const suite = useBrowserSuite();
  const newPerson = () => suite.newPerson();
  const signIn = (p: Page, email: string, password?: string) => suite.signIn(p, email, password);

  it('consultant creates and invites, owner joins and approves, consultant advances the stage', async () => {
    const consultantUser = await makeUser(suite.db.orm, 'Vera Consultant', 'consultant');
    await setPassword(suite.db, consultantUser.id);

    // The consultant signs in, creates the engagement and invites the owner.
    const consultant = await newPerson();
    await signIn(consultant, consultantUser.email);
    await consultant.goto(`${suite.app.url}/engagements/new`);
    await fill(consultant, 'clientName', 'Пекарня «Колосок»');
    await fill(consultant, 'site', 'https://kolosok.example');
    await submit(consultant, '/engagements');
    expect(await consultant.$eval('h1', (h) => h.textContent)).to.equal('Пекарня «Колосок»');
    const engagementPath = new URL(consultant.url()).pathname;
    await consultant.click('details.invite > summary'); // the invitation form is folded away until asked for
    await fill(consultant, 'email', 'owner@kolosok.example');
    await fill(consultant, 'name', 'Олег Владелец');
    await consultant.select('select[name="role"]', 'owner');
    await submit(consultant, '/participants');
    expect(await consultant.content()).to.contain('owner@kolosok.example');
    await submit(consultant, '/start');

    // Meanwhile the rest of Preparation gets done, except one document for the owner.
    const engagement = await suite.db.orm.em.fork().findOneOrFail(Engagement, { clientName: 'Пекарня «Колосок»' });
    const owner = await suite.db.orm.em.fork().findOneOrFail(User, { email: 'owner@kolosok.example' });
    const consultantCast = { consultant: consultantUser, owner, staff: [], outsider: consultantUser };
    await completeCurrentStage(suite.app.deps, engagement.id, consultantCast, { signOff: false });
    const concept = await submitDocumentVersion(suite.app.deps, consultantUser.id, engagement.id, 'content-concept', await contentOf('content-concept', 'Понедельник — новинки'));

    // The owner follows the invitation link and sets a password.
    const link = /http:\/\/\S+\/invitations\/[\w-]+/.exec(readMail(suite.app.mailDir).find((m) => m.to === 'owner@kolosok.example')!.body)![0];
    const ownerPage = await newPerson();
    await ownerPage.goto(link);
    await fill(ownerPage, 'password', 'пароль владельца');
    await fill(ownerPage, 'confirm', 'пароль владельца');
    await submit(ownerPage, '/invitations/' + link.split('/').pop());
    await signIn(ownerPage, 'owner@kolosok.example', 'пароль владельца');
    const waiting = await ownerPage.$$eval('a', (as) => as.map((a) => a.textContent ?? ''));
    expect(waiting.some((text) => text.includes('version 2'))).to.equal(true);

    // The owner reads the document, sees what changed, and approves it.
    await ownerPage.goto(`${suite.app.url}${engagementPath}/documents/${concept.document.id}`);
    expect(await ownerPage.content()).to.contain('Понедельник — новинки');
    expect(await ownerPage.$('.diff-added')).to.not.equal(null);
    await submit(ownerPage, '/approve');
    const doc = await suite.db.orm.em.fork().findOneOrFail(ProjectDocument, concept.document.id);
    expect([doc.status, doc.approvedHash]).to.deep.equal(['approved', concept.contentHash]);

    // The owner signs the stage off from the engagement page.
    await ownerPage.goto(`${suite.app.url}${engagementPath}`);
    await submit(ownerPage, '/signoff');

    // The consultant sees the gate open and advances the stage.
    await consultant.goto(`${suite.app.url}${engagementPath}`);
    expect(await consultant.$eval('#gate', (g) => g.textContent ?? '')).to.contain('Everything is done');
    await submit(consultant, '/advance');
    const advanced = await suite.db.orm.em.fork().findOneOrFail(Engagement, engagement.id);
    expect(advanced.state).to.equal('formatting');
    // On a loaded machine the page can still be settling when the navigation is reported done.
    const notice = await consultant.waitForSelector('.flash-notice', { timeout: 10_000 });
    expect(await notice!.evaluate((f) => f.textContent ?? '')).to.contain('The next stage has started.');
  });

  it('shows a staff member only their tasks and lets them finish one with a note, in Russian', async () => {
    // Preparation's only staff task, the study of the methods kit, closes by itself: Formatting's "fill and test" is marked by hand.
    const { engagementId, cast } = await makeEngagement(suite.app.deps);
    const [staffUser, consultantUser] = [cast.staff[0]!, cast.consultant];
    await setPassword(suite.db, staffUser.id);
    const e = { id: engagementId };
    const training = await staffWorkTask(suite.app.deps, engagementId, cast);
    await assignTask(suite.app.deps, consultantUser.id, e.id, training.id, { assigneeId: staffUser.id });
    const mine = await suite.db.orm.em.fork().count(Task, { assignee: staffUser.id });

    const staff = await newPerson();
    await signIn(staff, staffUser.email);
    await submit(staff, '/language', /Русский/);
    await staff.goto(`${suite.app.url}/tasks`);
    expect(await staff.$eval('html', (h) => h.lang)).to.equal('ru');
    const titles = await staff.$$eval('article.task h2', (hs) => hs.map((h) => h.textContent));
    expect(titles, 'their tasks and modules, no one else’s').to.have.length(mine);
    expect(titles).to.include('Наполнение аккаунтов и проверка связей');
    await fill(staff, 'note', 'Прочитала комплект, вопросы записала.');
    await submit(staff, '/complete');
    const done = await suite.db.orm.em.fork().findOneOrFail(Task, training.id);
    expect([done.status, done.note]).to.deep.equal(['done', 'Прочитала комплект, вопросы записала.']);
  });
});
