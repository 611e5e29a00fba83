import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { Task } from '../../src/engagement/task.entity.ts';

describe('assigning a task over HTTP: inside the plan, to the right role', function () {
  this.timeout(60_000);
  const s = useWebApp();

  it('offers only participants of the task role, bounds the date by the plan and refuses a late deadline in Russian', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, key: 'prep.kmm-study' });
    const page = await consultant.get(`/engagements/${s.engagementId}/tasks/${task.id}`);
    const form = new RegExp(`action="/engagements/${s.engagementId}/tasks/${task.id}/assign"[\\s\\S]*?</form>`).exec(page.text)?.[0] ?? '';
    expect(form).to.contain(`value="${s.cast.staff[0]!.id}"`);
    expect(form).not.to.contain(`value="${s.cast.owner.id}"`);
    expect(form).to.contain('min="2026-03-02" max="2026-05-31"');

    const late = await consultant.post(`/engagements/${s.engagementId}/tasks/${task.id}/assign`, { assigneeId: s.cast.staff[0]!.id, deadline: '2026-07-01', __referer: `/engagements/${s.engagementId}/tasks/${task.id}` });
    expect(late.status).to.equal(422);
    expect(late.text).to.contain('Срок должен попадать в план проекта');
    const wrongRole = await consultant.post(`/engagements/${s.engagementId}/tasks/${task.id}/assign`, { assigneeId: s.cast.owner.id, __referer: `/engagements/${s.engagementId}/tasks/${task.id}` });
    expect(wrongRole.status).to.equal(422);
    expect(wrongRole.text).to.contain('Эта задача — для сотрудника');
    expect((await s.db.orm.em.fork().findOneOrFail(Task, task.id)).assignee).to.equal(null);
  });
});
