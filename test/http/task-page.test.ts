import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { makeEngagement, staffWorkTask } from '../helpers/factories.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';

describe('a task’s own page: reading it, assigning it, completing it', function () {
  this.timeout(60_000);
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}`;
  const task = (filter: Record<string, unknown>) => s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, stageId: 'preparation', ...filter }, { orderBy: { position: 'asc' } });

  it('shows the consultant the task with labelled forms to assign it and mark it done; the checklist row only links there', async () => {
    const meeting = await task({ kind: 'meeting' });
    const consultant = await s.signedIn(s.cast.consultant);
    const row = new RegExp(`<tr id="task-${meeting.id}"[\\s\\S]*?</tr>`).exec((await consultant.get(base())).text)![0];
    expect(row, 'the row holds no form controls but the tick box').not.to.match(/<select|type="date"|<button/);
    expect(row).to.contain(`href="${base()}/tasks/${meeting.id}"`);

    const page = await consultant.get(`${base()}/tasks/${meeting.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<h1>Kickoff meeting</h1>');
    const assign = new RegExp(`action="${base()}/tasks/${meeting.id}/assign"[\\s\\S]*?</form>`).exec(page.text)![0];
    expect(assign).to.contain(`value="${s.cast.consultant.id}"`);
    expect(assign, 'only the role the methodology allows').not.to.contain(`value="${s.cast.owner.id}"`);
    expect(assign).to.contain('min="2026-03-02" max="2026-05-31"');
    expect(assign).to.match(/<label>Assignee\s*<select name="assigneeId"/);
    expect(assign).to.match(/<label>Deadline \(optional\)\s*<input type="date" name="deadline"/);
    expect(page.text).to.contain(`action="${base()}/tasks/${meeting.id}/complete"`);
  });

  it('assigns and then re-assigns from the task page, back to the stage’s checklist with a message in words', async () => {
    const training = await task({ kind: 'training' });
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get(`${base()}/tasks/${training.id}`);
    const res = await consultant.post(`${base()}/tasks/${training.id}/assign`, { assigneeId: s.cast.staff[0]!.id, deadline: '2026-03-10', __referer: `${base()}/tasks/${training.id}` });
    expect([res.status, res.location]).to.deep.equal([303, `${base()}?stage=preparation#task-${training.id}`]);
    const next = await consultant.follow(res);
    expect(next.text).to.contain('The task is assigned.');
    expect(next.text).not.to.contain('task.assigned');

    const again = await consultant.get(`${base()}/tasks/${training.id}`);
    expect(again.text).to.contain('Re-assign the task or change its deadline');
    expect(again.text).to.contain('value="2026-03-10"');
    await consultant.post(`${base()}/tasks/${training.id}/assign`, { assigneeId: s.cast.staff[1]!.id, __referer: `${base()}/tasks/${training.id}` });
    expect((await s.db.orm.em.fork().findOneOrFail(Task, training.id, { populate: ['assignee'] })).assignee?.id).to.equal(s.cast.staff[1]!.id);
  });

  it('re-renders the task page with the refusal at the field, in Russian, changing nothing', async () => {
    const training = await task({ kind: 'training' });
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    await consultant.get(`${base()}/tasks/${training.id}`);
    const late = await consultant.post(`${base()}/tasks/${training.id}/assign`, { assigneeId: s.cast.staff[0]!.id, deadline: '2031-07-01', __referer: `${base()}/tasks/${training.id}` });
    expect(late.status).to.equal(422);
    expect(late.text).to.contain('<h1>Изучение комплекта методических материалов (КММ)</h1>');
    expect(late.text).to.match(/<input type="date" name="deadline"[^>]*value="2031-07-01"[^>]*aria-invalid="true"/);
    expect(late.text).to.contain('id="deadline-error">Срок должен попадать в план проекта');
    const wrongRole = await consultant.post(`${base()}/tasks/${training.id}/assign`, { assigneeId: s.cast.owner.id, __referer: `${base()}/tasks/${training.id}` });
    expect(wrongRole.status).to.equal(422);
    expect(wrongRole.text).to.contain('Эта задача — для сотрудника');
    expect((await s.db.orm.em.fork().findOneOrFail(Task, training.id)).assignee).to.equal(null);
  });

  it('lets the staff member open and complete their own task, and hides the tasks of others', async () => {
    const meeting = await task({ kind: 'meeting' });
    const training = await staffWorkTask(s.app.deps, s.engagementId, s.cast);
    await assignTask(s.app.deps, s.cast.consultant.id, s.engagementId, training.id, { assigneeId: s.cast.staff[0]!.id });
    const staff = await s.signedIn(s.cast.staff[0]!);
    const page = await staff.get(`${base()}/tasks/${training.id}`);
    expect(page.status).to.equal(200);
    expect(page.text, 'no assignment form for staff').not.to.contain('/assign"');
    expect((await staff.get(`${base()}/tasks/${meeting.id}`)).status, 'not theirs').to.equal(404);
    const done = await staff.post(`${base()}/tasks/${training.id}/complete`, { note: 'Read it all.', __referer: `${base()}/tasks/${training.id}` });
    expect(done.status).to.equal(303);
    expect((await s.db.orm.em.fork().findOneOrFail(Task, training.id)).status).to.equal('done');
  });

  it('shows the owner, as project manager, the assignment form but not the completion one, and answers 404 for a task of another engagement', async () => {
    const meeting = await task({ kind: 'meeting' });
    const owner = await s.signedIn(s.cast.owner);
    const page = await owner.get(`${base()}/tasks/${meeting.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`${base()}/tasks/${meeting.id}/assign"`);
    expect(page.text).not.to.contain('/complete"');
    const other = await makeEngagement(s.app.deps);
    const foreign = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: other.engagementId, kind: 'meeting' });
    const consultant = await s.signedIn(s.cast.consultant);
    expect((await consultant.get(`${base()}/tasks/${foreign.id}`)).status).to.equal(404);
    expect((await consultant.get(`${base()}/tasks/not-a-task`)).status).to.equal(404);
  });
});
