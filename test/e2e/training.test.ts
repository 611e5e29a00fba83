import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement, completeCurrentStage, correctAnswers } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, fill, submit } from '../helpers/browser.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';

describe('training in a real browser', function () {
  this.timeout(120_000);
  const suite = useBrowserSuite();

  async function signIn(email: string, locale: 'en' | 'ru'): Promise<Page> {
    const page = await suite.newPerson();
    await suite.signIn(page, email);
    if (locale === 'ru') await submit(page, '/language', /Русский/);
    return page;
  }

  /** Ticks answers on the quiz form: the right ones, or a wrong one for every question. */
  async function answerQuiz(p: Page, answers: Record<string, string[]>): Promise<void> {
    for (const [question, ids] of Object.entries(answers)) {
      for (const id of ids) await p.click(`input[name="q.${question}"][value="${id}"]`);
    }
    await submit(p, '/quiz');
  }

  it('a staff member fails a quiz once, passes it, submits the reviews assignment; the consultant returns it, then accepts it', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
    const em = suite.db.orm.em.fork();
    const modules = (await em.findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] })).methodology.definition.trainingModules;
    const staff = cast.staff[0]!;
    await setPassword(suite.db, staff.id);
    await setPassword(suite.db, cast.consultant.id);
    await setPassword(suite.db, cast.owner.id);
    const assignment = (await em.find(TrainingAssignment, { engagement: engagementId, user: staff.id })).find((a) => modules.find((m) => m.id === a.moduleId)!.stage === 'formatting')!;
    const module = modules.find((m) => m.id === assignment.moduleId)!;

    // In Russian: the module page, a failed attempt, then a pass.
    const learner = await signIn(staff.email, 'ru');
    await learner.goto(`${suite.app.url}/engagements/${engagementId}/training/${assignment.id}`);
    expect(await learner.$eval('h1', (h) => h.textContent)).to.equal(module.title.ru);
    const before = await learner.content();
    for (const q of module.quiz.questions) for (const a of q.answers) expect(before, 'no explanation before answering').not.to.contain(a.explanation.ru.slice(0, 40));
    const wrong = Object.fromEntries(module.quiz.questions.map((q) => [q.id, [q.answers.find((a) => !a.correct)!.id]]));
    await answerQuiz(learner, wrong);
    expect(await learner.$eval('.flash-error', (f) => f.textContent ?? '')).to.contain('Тест не пройден');
    await answerQuiz(learner, correctAnswers(module));
    expect(await learner.$eval('.flash-notice', (f) => f.textContent ?? '')).to.contain('Тест пройден: 100%');
    await fill(learner, 'submission', 'Спасибо за отзыв. Мы ошиблись и уже исправляем.');
    await submit(learner, '/submission');

    // In English: the consultant returns it, the learner revises, the consultant accepts.
    const consultant = await signIn(cast.consultant.email, 'en');
    await consultant.goto(`${suite.app.url}/engagements/${engagementId}/training/${assignment.id}`);
    await fill(consultant, 'comment', 'Thank the customer by name and say what changes.');
    await submit(consultant, '/review', /Return/);
    await learner.goto(`${suite.app.url}/engagements/${engagementId}/training/${assignment.id}`);
    expect(await learner.content()).to.contain('Thank the customer by name');
    await fill(learner, 'submission', 'Анна, спасибо за отзыв. Мы ошиблись с тортом; с понедельника проверяем заказы накануне.');
    await submit(learner, '/submission');
    await consultant.goto(`${suite.app.url}/engagements/${engagementId}/training/${assignment.id}`);
    await submit(consultant, '/review', /Accept/);
    const done = await suite.db.orm.em.fork().findOneOrFail(TrainingAssignment, assignment.id);
    expect([done.practicalStatus, done.attempts, done.bestScore, !!done.completedAt]).to.deep.equal(['accepted', 2, 100, true]);

    // The owner sees the matrix, read-only.
    const owner = await signIn(cast.owner.email, 'en');
    await owner.goto(`${suite.app.url}/engagements/${engagementId}/training`);
    const matrix = await owner.$eval('table.matrix', (t) => t.textContent ?? '');
    expect(matrix).to.contain('completed');
    expect(await owner.$$('form[action*="/review"]')).to.have.length(0);
  });
});
