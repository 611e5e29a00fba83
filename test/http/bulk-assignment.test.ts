import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { makeEngagement } from '../helpers/factories.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';

describe('assigning several tasks at once from the engagement page', function () {
  this.timeout(60_000);
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}`;
  const preparation = (role: string) => s.db.orm.em.fork().find(Task, { engagement: s.engagementId, stageId: 'preparation', role, kind: { $ne: 'signoff' } }, { orderBy: { position: 'asc' } });
  const assignEvents = () => s.db.orm.em.fork().count(EngagementEvent, { engagement: s.engagementId, type: 'task.assign' });
  const assigneesOf = async (ids: string[]) => (await s.db.orm.em.fork().find(Task, { id: { $in: ids } }, { orderBy: { position: 'asc' } })).map((t) => t.assignee?.id ?? null);

  it('assigns the ticked tasks to one person with one deadline, writing one event per task', async () => {
    const [a, b] = await preparation('consultant');
    const consultant = await s.signedIn(s.cast.consultant);
    const page = await consultant.get(base());
    expect(page.text, 'a tick box per open task, tied to the bulk form').to.contain(`name="taskIds" value="${a!.id}" form="bulk-assign"`);
    const res = await consultant.post(`${base()}/tasks/assign`, { taskIds: [a!.id, b!.id], assigneeId: s.cast.consultant.id, deadline: '2026-03-20', stage: 'preparation', __referer: base() });
    expect([res.status, res.location]).to.deep.equal([303, `${base()}?stage=preparation#checklist`]);
    expect(await assigneesOf([a!.id, b!.id])).to.deep.equal([s.cast.consultant.id, s.cast.consultant.id]);
    const fresh = await s.db.orm.em.fork().find(Task, { id: { $in: [a!.id, b!.id] } });
    expect(fresh.map((t) => t.deadline?.toISOString())).to.deep.equal(['2026-03-20T23:59:59.000Z', '2026-03-20T23:59:59.000Z']);
    expect(await assignEvents()).to.equal(2);
    expect((await consultant.follow(res)).text).to.contain('2 tasks are assigned.');
  });

  it('refuses the whole batch when one task is for another role, naming that task, in Russian', async () => {
    const [forConsultant] = await preparation('consultant');
    const [forStaff] = await preparation('staff');
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    await consultant.get(base());
    const res = await consultant.post(`${base()}/tasks/assign`, { taskIds: [forConsultant!.id, forStaff!.id], assigneeId: s.cast.consultant.id, stage: 'preparation', __referer: base() });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Ничего не назначено: задачу «Изучение комплекта методических материалов (КММ)» назначить нельзя — Эта задача — для сотрудника');
    expect(res.text, 'the ticks are kept').to.contain(`value="${forConsultant!.id}" form="bulk-assign" id="tick-${forConsultant!.id}" aria-label="Отметить для назначения: `);
    expect(await assigneesOf([forConsultant!.id, forStaff!.id]), 'nothing changed, not even the first task').to.deep.equal([null, null]);
    expect(await assignEvents()).to.equal(0);
  });

  it('changes nothing when the deadline falls outside the plan', async () => {
    const ids = (await preparation('consultant')).slice(0, 3).map((t) => t.id);
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get(base());
    const res = await consultant.post(`${base()}/tasks/assign`, { taskIds: ids, assigneeId: s.cast.consultant.id, deadline: '2031-01-15', __referer: base() });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Nothing was assigned: the task “');
    expect(res.text).to.contain("the deadline must fall inside the engagement's plan".replace("'", '&#39;'));
    expect(await assigneesOf(ids)).to.deep.equal([null, null, null]);
    expect(await assignEvents()).to.equal(0);
  });

  it('answers 404 for a task of another engagement, and assigns nothing', async () => {
    const [own] = await preparation('consultant');
    const other = await makeEngagement(s.app.deps);
    const [foreign] = await s.db.orm.em.fork().find(Task, { engagement: other.engagementId, stageId: 'preparation', role: 'consultant' });
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get(base());
    const res = await consultant.post(`${base()}/tasks/assign`, { taskIds: [own!.id, foreign!.id], assigneeId: s.cast.consultant.id, __referer: base() });
    expect(res.status).to.equal(404);
    expect(await assigneesOf([own!.id, foreign!.id])).to.deep.equal([null, null]);
  });

  it('asks for at least one ticked task, in words', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get(base());
    const res = await consultant.post(`${base()}/tasks/assign`, { assigneeId: s.cast.consultant.id, __referer: base() });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('choose the tasks to assign');
  });

  it('refuses staff with 403 and shows them no bulk form', async () => {
    const [task] = await preparation('staff');
    const person = await s.signedIn(s.cast.staff[0]!);
    const page = await person.get(base());
    expect(page.text).not.to.contain('id="bulk-assign"');
    const res = await person.post(`${base()}/tasks/assign`, { taskIds: [task!.id], assigneeId: s.cast.staff[0]!.id, __referer: base() });
    expect(res.status).to.equal(403);
    expect(await assigneesOf([task!.id])).to.deep.equal([null]);
  });

  it('gives the owner, as project manager, the bulk form and assigns what they tick', async () => {
    const [a, b] = await preparation('consultant');
    const owner = await s.signedIn(s.cast.owner);
    const page = await owner.get(base());
    expect(page.text).to.contain('id="bulk-assign"');
    const res = await owner.post(`${base()}/tasks/assign`, { taskIds: [a!.id, b!.id], assigneeId: s.cast.consultant.id, __referer: base() });
    expect(res.status).to.equal(303);
    expect(await assigneesOf([a!.id, b!.id])).to.deep.equal([s.cast.consultant.id, s.cast.consultant.id]);
  });
});
