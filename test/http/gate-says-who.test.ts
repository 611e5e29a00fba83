import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { completeCurrentStage, correctAnswers } from '../helpers/factories.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { submitQuiz, submitPractical } from '../../src/training/training.service.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** The gate box's steps: kind, link and the text after the link. */
function stepsOf(html: string): { kind: string; href: string; title: string; rest: string }[] {
  const list = /<ul class="gate-steps">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li class="gate-step-(\w+)"><a href="([^"]+)">([^<]*)<\/a>([^<]*)<\/li>/g)].map((m) => ({ kind: m[1]!, href: m[2]!, title: m[3]!, rest: m[4]! }));
}

describe('the gate says who it waits for', function () {
  this.timeout(90_000);
  const suite = useWebApp();
  const base = () => `/engagements/${suite.engagementId}`;

  it('names each person and module a training task waits for, in both languages, and links every blocker to where it is unblocked', async () => {
    const deps = suite.app.deps;
    await completeCurrentStage(deps, suite.engagementId, suite.cast); // approves the training programme
    await advanceStage(deps, suite.cast.consultant.id, suite.engagementId);
    const em = suite.db.orm.em.fork();
    const [sales, production] = suite.cast.staff;
    const modules = (await em.findOneOrFail(Engagement, suite.engagementId, { populate: ['methodology.definition'] })).methodology.definition.trainingModules;
    const [first] = await em.find(TrainingAssignment, { engagement: suite.engagementId, stageId: 'formatting', user: sales!.id }, { orderBy: { deadline: 'asc' } });
    const firstModule = modules.find((m) => m.id === first!.moduleId)!;
    await submitQuiz(deps, sales!.id, suite.engagementId, first!.id, correctAnswers(firstModule));
    await submitPractical(deps, sales!.id, suite.engagementId, first!.id, 'My practical work, written with the checklist in mind.');
    const productionAssignment = await em.findOneOrFail(TrainingAssignment, { engagement: suite.engagementId, stageId: 'formatting', user: production!.id });
    const productionModule = modules.find((m) => m.id === productionAssignment.moduleId)!;

    const consultant = await suite.signedIn(suite.cast.consultant);
    const steps = stepsOf((await consultant.get(base())).text);
    const training = steps.find((s) => s.title === 'Staff training')!;
    expect(training.href).to.equal(`${base()}/training`);
    expect(training.rest).to.contain(escapeHtml(`waiting for Sales — ${firstModule.title.en} (quiz passed, practical work not reviewed)`));
    expect(training.rest).to.contain(escapeHtml(`Production — ${productionModule.title.en} (quiz not passed yet, practical work not submitted)`));
    expect((await consultant.get(training.href)).status, 'the training matrix opens').to.equal(200);

    const tasks = await em.find(Task, { engagement: suite.engagementId, stageId: 'formatting' });
    for (const step of steps.filter((s) => s.kind === 'task' && !s.href.endsWith('/training'))) {
      expect(tasks.map((t) => `${base()}#task-${t.id}`), step.title).to.include(step.href);
    }
    for (const step of steps.filter((s) => s.kind === 'document')) expect(step.href).to.match(new RegExp(`^${base()}/documents/(new\\?type=[\\w-]+|[0-9a-f-]{36})$`));
    expect(steps.find((s) => s.kind === 'signoff')?.href).to.equal(`${base()}#signoff`);

    await consultant.post('/language', { locale: 'ru', back: base() });
    const russian = stepsOf((await consultant.get(base())).text).find((s) => s.href === `${base()}/training` && s.title === 'Обучение персонала')!;
    expect(russian.rest).to.contain(escapeHtml(`ждём: Sales — ${firstModule.title.ru} (тест пройден, практическая работа не проверена)`));
  });
});
