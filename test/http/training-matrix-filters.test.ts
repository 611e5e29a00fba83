import { expect } from 'chai';
import { useWebApp, setPassword } from '../helpers/web.ts';
import { completeCurrentStage, correctAnswers, makeUser } from '../helpers/factories.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { submitQuiz, submitPractical } from '../../src/training/training.service.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';

/** The matrix as the page shows it: each person's row with the status of each cell shown. */
function matrixOf(html: string) {
  const head = /<thead><tr><th>[^<]*<\/th>([\s\S]*?)<\/tr><\/thead>/.exec(html)?.[1] ?? '';
  const modules = [...head.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]!);
  const rows = [...html.matchAll(/<tr><th scope="row">([^<(]*?)(?: \([^)]*\))?<\/th>([\s\S]*?)<\/tr>/g)].map((m) => ({
    name: m[1]!.trim(),
    statuses: [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => /badge training-(\w+)/.exec(c[1]!)?.[1] ?? null),
  }));
  return { modules, rows };
}

describe('the training matrix: filtered by person, module and status at stable addresses', function () {
  this.timeout(180_000);
  const suite = useWebApp();
  const path = () => `/engagements/${suite.engagementId}/training`;
  let submittedModule: { id: string; title: string };

  beforeEach(async () => {
    const deps = suite.app.deps;
    await completeCurrentStage(deps, suite.engagementId, suite.cast);
    await advanceStage(deps, suite.cast.consultant.id, suite.engagementId);
    const [sales] = suite.cast.staff;
    const em = suite.db.orm.em.fork();
    const [assignment] = await em.find(TrainingAssignment, { engagement: suite.engagementId, user: sales!.id, completedAt: null }, { orderBy: { deadline: 'asc' } });
    const module = (await em.findOneOrFail(Engagement, suite.engagementId, { populate: ['methodology.definition'] })).methodology.definition.trainingModules.find((m) => m.id === assignment!.moduleId)!;
    await submitQuiz(deps, sales!.id, suite.engagementId, assignment!.id, correctAnswers(module));
    await submitPractical(deps, sales!.id, suite.engagementId, assignment!.id, 'My answers to the reviews, written with the checklist.');
    submittedModule = { id: module.id, title: module.title.en };
  });

  it('shows everyone and every module, then only the person, the module or the status asked for', async () => {
    const consultant = await suite.signedIn(suite.cast.consultant);
    const all = matrixOf((await consultant.get(path())).text);
    expect(all.rows.map((r) => r.name)).to.deep.equal(['Sales', 'Production']);
    expect(all.modules.length).to.be.greaterThan(1);

    const sales = matrixOf((await consultant.get(`${path()}?person=${suite.cast.staff[0]!.id}`)).text);
    expect(sales.rows.map((r) => r.name)).to.deep.equal(['Sales']);

    const oneModule = await consultant.get(`${path()}?module=${submittedModule.id}`);
    expect(matrixOf(oneModule.text).modules).to.deep.equal([submittedModule.title]);
    expect(oneModule.text).to.contain(`<option value="${submittedModule.id}" selected>`);

    const waiting = matrixOf((await consultant.get(`${path()}?status=submitted`)).text);
    expect(waiting.rows).to.deep.equal([{ name: 'Sales', statuses: ['submitted'] }]);
    expect(waiting.modules).to.deep.equal([submittedModule.title]);

    // Completed modules there are (the overview of the methods kit, studied in Preparation); returned ones not.
    expect(matrixOf((await consultant.get(`${path()}?status=completed`)).text).rows.map((r) => r.name)).to.deep.equal(['Sales', 'Production']);
    const none = await consultant.get(`${path()}?status=returned`);
    expect(none.status).to.equal(200);
    expect(none.text).to.contain('No staff member or module matches these filters.');
  });

  it('answers a filter it cannot use with 400, and an outsider with 404 whatever the filter', async () => {
    const consultant = await suite.signedIn(suite.cast.consultant);
    for (const query of ['status=done', 'module=no-such-module', `person=${suite.cast.owner.id}`, 'person=x', 'page=0']) {
      const page = await consultant.get(`${path()}?${query}`);
      expect(page.status, query).to.equal(400);
      expect(page.text, query).to.contain('This list address cannot be read');
    }
    const staff = await suite.signedIn(suite.cast.staff[1]!);
    expect((await staff.get(`${path()}?person=${suite.cast.staff[0]!.id}`)).status, 'staff see only their own row').to.equal(400);
    expect(matrixOf((await staff.get(path())).text).rows.map((r) => r.name)).to.deep.equal(['Production']);
    const outsider = await makeUser(suite.db.orm, 'Nosy Consultant', 'consultant');
    await setPassword(suite.db, outsider.id);
    const nosy = await suite.signedIn(outsider);
    expect((await nosy.get(`${path()}?status=done`)).status).to.equal(404);
    expect((await nosy.get(path())).status).to.equal(404);
  });
});
