// The study of the methods kit over HTTP: the task page per participant, the session form and its refusals
// in both languages, the gate box and "waiting for me" naming what is missing, and the owner's module.
import { expect } from 'chai';
import { useWebApp, setPassword } from '../helpers/web.ts';
import { completeTraining, makeEngagement } from '../helpers/factories.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { StudySession } from '../../src/training/study-session.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

describe('the methods kit studied in Preparation, over HTTP', function () {
  this.timeout(90_000);
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}`;
  const studyTask = () => s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, key: 'prep.kmm-study' });
  const rowOf = (html: string, userId: string) => new RegExp(`<tr id="study-${userId}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

  it('shows the consultant each participant’s module and session and records a session with the form, in English', async () => {
    const task = await studyTask();
    const page = `${base()}/tasks/${task.id}`;
    const consultant = await s.signedIn(s.cast.consultant);
    const before = await consultant.get(page);
    expect(before.status).to.equal(200);
    expect(before.text).to.contain('Who has studied the methods kit');
    for (const person of [s.cast.owner, ...s.cast.staff]) {
      const row = rowOf(before.text, person.id);
      expect(row, person.name).to.contain('E1T at a glance: the project, its roles and its stages: not completed');
      expect(row, person.name).to.contain('no one-to-one session recorded');
    }
    expect(before.text, 'the study closes by itself: no "mark as done" form').not.to.contain(`action="${page}/complete"`);
    const form = new RegExp(`action="${page}/sessions"[\\s\\S]*?</form>`).exec(before.text)?.[0] ?? '';
    expect(form).to.match(/<label>Participant\s*<select name="participantId"/);
    expect(form).to.match(/<label>Date of the session\s*<input type="date" name="heldOn" min="2026-03-02" max="2026-03-02"/);
    expect(form).to.match(/<label>What you went over<textarea name="note"/);
    for (const person of [s.cast.owner, ...s.cast.staff]) expect(form).to.contain(`value="${person.id}"`);
    expect(form).not.to.contain(`value="${s.cast.consultant.id}"`);

    const res = await consultant.post(`${page}/sessions`, { participantId: s.cast.owner.id, heldOn: '2026-03-02', note: 'Went over the stages and what the owner approves.', __referer: page });
    expect([res.status, res.location]).to.deep.equal([303, `${page}#study`]);
    const after = await consultant.follow(res);
    expect(after.text).to.contain('The one-to-one session is recorded.');
    const row = rowOf(after.text, s.cast.owner.id);
    expect(row).to.contain('session on 2 Mar 2026');
    expect(row).to.contain('Went over the stages and what the owner approves.');
    expect(rowOf(after.text, s.cast.staff[0]!.id)).to.contain('no one-to-one session recorded');
  });

  it('refuses a session in the future, without a participant or a note with a message at each field, in Russian, saving nothing', async () => {
    const task = await studyTask();
    const page = `${base()}/tasks/${task.id}`;
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    await consultant.get(page);
    const events = await s.db.orm.em.fork().count(EngagementEvent, { engagement: s.engagementId });
    const res = await consultant.post(`${page}/sessions`, { participantId: '', heldOn: '2026-03-05', note: '   ', __referer: page });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('<h1>Изучение комплекта методических материалов (КММ)</h1>');
    expect(res.text).to.contain('id="participantId-error">Выберите участника этого проекта');
    expect(res.text).to.contain('id="heldOn-error">Дата разговора не может быть позже сегодняшнего дня');
    expect(res.text).to.contain('id="note-error">Напишите, что вы разобрали с участником');
    expect(res.text, 'what was typed stays').to.match(/<input type="date" name="heldOn"[^>]*value="2026-03-05"[^>]*aria-invalid="true"/);
    const early = await consultant.post(`${page}/sessions`, { participantId: s.cast.staff[0]!.id, heldOn: '2026-02-20', note: 'Рано', __referer: page });
    expect(early.status).to.equal(422);
    expect(early.text).to.contain('id="heldOn-error">Дата разговора не может быть раньше начала проекта');
    expect(early.text, 'the chosen participant stays chosen').to.contain(`value="${s.cast.staff[0]!.id}" selected`);
    expect(await s.db.orm.em.fork().count(StudySession, { engagement: s.engagementId })).to.equal(0);
    expect(await s.db.orm.em.fork().count(EngagementEvent, { engagement: s.engagementId }), 'nothing changed').to.equal(events);
  });

  it('lets neither the owner nor staff record a session, and refuses to close the task by hand', async () => {
    const task = await studyTask();
    const page = `${base()}/tasks/${task.id}`;
    const owner = await s.signedIn(s.cast.owner);
    const read = await owner.get(page);
    expect(read.status).to.equal(200);
    expect(read.text, 'the owner sees where the study stands').to.contain('Who has studied the methods kit');
    expect(read.text, 'but no session form').not.to.contain(`action="${page}/sessions"`);
    expect((await owner.post(`${page}/sessions`, { participantId: s.cast.owner.id, heldOn: '2026-03-02', note: 'Myself', __referer: page })).status).to.equal(403);
    const staff = await s.signedIn(s.cast.staff[0]!);
    await staff.get('/tasks');
    expect((await staff.post(`${page}/sessions`, { participantId: s.cast.staff[0]!.id, heldOn: '2026-03-02', note: 'Myself', __referer: '/tasks' })).status, 'not their task: not found').to.be.oneOf([403, 404]);
    const other = await makeEngagement(s.app.deps);
    await setPassword(s.db, other.cast.consultant.id);
    const stranger = await s.signedIn(other.cast.consultant);
    await stranger.get('/');
    expect((await stranger.post(`${page}/sessions`, { participantId: s.cast.owner.id, heldOn: '2026-03-02', note: 'Not mine', __referer: '/' })).status, 'another engagement’s consultant').to.equal(404);
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get(page);
    const byHand = await consultant.post(`${page}/complete`, { note: 'done', __referer: page });
    expect(byHand.status).to.equal(409);
    expect(byHand.text).to.contain('every participant has completed the methods kit module and has a recorded one-to-one session');
    expect((await studyTask()).status).to.equal('open');
    expect(await s.db.orm.em.fork().count(StudySession, {})).to.equal(0);
  });

  it('names in the gate box and in "waiting for me" what each participant still lacks, then closes the task', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    const task = await studyTask();
    await consultant.get(`${base()}/tasks/${task.id}`);
    await consultant.post(`${base()}/tasks/${task.id}/sessions`, { participantId: s.cast.owner.id, heldOn: '2026-03-02', note: 'Stages and approvals.', __referer: `${base()}/tasks/${task.id}` });
    const overview = await consultant.get(base());
    const step = new RegExp(`<li class="gate-step-task"><a href="${base()}/tasks/${task.id}#study">[\\s\\S]*?</li>`).exec(overview.text)?.[0] ?? '';
    expect(step, 'the gate step opens the study').to.contain('Study the methodology materials kit (KMM)');
    expect(step).to.contain(escapeHtml('waiting for E1T at a glance: the project, its roles and its stages: not completed — Owner, Sales, Production; no one-to-one session recorded — Sales, Production'));
    expect(overview.text, 'waiting for the consultant').to.contain(escapeHtml('No one-to-one session recorded: Sales, Production (Study the methodology materials kit (KMM))'));

    await consultant.post('/language', { locale: 'ru', back: base() });
    const russian = await consultant.get(base());
    expect(russian.text).to.contain(escapeHtml('E1T в общих чертах: проект, роли и этапы: не пройден — Owner, Sales, Production; индивидуальный разговор не отмечен — Sales, Production'));
    expect(russian.text).to.contain(escapeHtml('Индивидуальный разговор не отмечен: Sales, Production'));

    await completeTraining(s.app.deps, s.engagementId, s.cast, 'preparation');
    for (const person of s.cast.staff) {
      await consultant.post(`${base()}/tasks/${task.id}/sessions`, { participantId: person.id, heldOn: '2026-03-02', note: 'Разобрали этапы.', __referer: `${base()}/tasks/${task.id}` });
    }
    expect((await studyTask()).status).to.equal('done');
    const done = await consultant.get(`${base()}/tasks/${task.id}`);
    expect(done.text, 'no session still missing').not.to.contain('индивидуальный разговор не отмечен');
    expect(done.text).not.to.contain(`/tasks/${task.id}#study">Изучение`);
  });

  it('gives the owner the overview module to take, with the quiz form, and lists it on their home page', async () => {
    const assignment = await s.db.orm.em.fork().findOneOrFail(TrainingAssignment, { engagement: s.engagementId, user: s.cast.owner.id, moduleId: 'e1t-overview' });
    const owner = await s.signedIn(s.cast.owner);
    const home = await owner.get('/');
    expect(home.text).to.contain(`href="${base()}/tasks/${assignment.task.id}/module"`);
    const module = await owner.get(`${base()}/training/${assignment.id}`);
    expect(module.status).to.equal(200);
    expect(module.text, 'the owner takes the quiz themselves').to.contain(`action="${base()}/training/${assignment.id}/quiz"`);
    const staffAssignment = await s.db.orm.em.fork().findOneOrFail(TrainingAssignment, { engagement: s.engagementId, user: s.cast.staff[0]!.id, moduleId: 'e1t-overview' });
    const theirs = await owner.get(`${base()}/training/${staffAssignment.id}`);
    expect(theirs.status).to.equal(200);
    expect(theirs.text, 'but not a staff member’s').not.to.contain(`action="${base()}/training/${staffAssignment.id}/quiz"`);
    expect((await owner.post(`${base()}/training/${staffAssignment.id}/quiz`, { __referer: `${base()}/training/${staffAssignment.id}` })).status).to.equal(403);
  });
});
