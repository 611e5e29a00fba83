import { contentOf } from '../helpers/content.ts';
import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { completeCurrentStage, makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import { advanceStage, signStageOff } from '../../src/engagement/engagement.service.ts';
import { completeTask } from '../../src/engagement/tasks.service.ts';
import { submitDocumentVersion, approveDocument, requestChanges } from '../../src/documents/documents.service.ts';
import { getTimeline } from '../../src/engagement/timeline.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { ProjectDocument, Approval } from '../../src/documents/document.entity.ts';
import { BlockedError, ConflictError, ForbiddenError, InvalidInputError } from '../../src/errors.ts';
import { ReviewFlag } from '../../src/documents/review-flag.entity.ts';
import { confirmStillHolds } from '../../src/documents/review-flags.service.ts';


describe('stage gate through the service', () => {
  const s = useStartedEngagement();

  const taskByKey = (key: string) => s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, key });

  it('refuses to advance a fresh stage and names every blocker', async () => {
    const error = await refusalOf(advanceStage(s.deps, s.cast.consultant.id, s.engagementId));
    expect(error).to.be.instanceOf(BlockedError);
    const blocked = error as BlockedError;
    expect(blocked.blockers.map((b) => b.kind)).to.include.members(['task', 'document', 'signoff']);
    expect(blocked.reasons[0]).to.match(/^\d+ tasks still open: /);
  });

  it('refuses to leave Preparation while the target criteria are in review', async () => {
    await completeCurrentStage(s.deps, s.engagementId, s.cast, { signOff: false });
    const kpi = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'target-criteria', await contentOf('target-criteria', 'revised targets'));
    const error = (await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'preparation'))) as BlockedError;
    expect(error.blockers).to.deep.equal([{ kind: 'document', id: 'target-criteria', title: error.blockers[0]!.title, status: 'in_review' }]);
    await approveDocument(s.deps, s.cast.owner.id, s.engagementId, kpi.document.id, kpi.contentHash);
    // The content concept rests on the target criteria: the owner says it still holds (src/documents/review-flags.ts).
    const flags = await s.db.orm.em.fork().find(ReviewFlag, { engagement: s.engagementId, status: 'open' });
    expect(flags.length, 'the documents built on the target criteria wait for review').to.be.greaterThan(0);
    for (const f of flags) await confirmStillHolds(s.deps, s.cast.owner.id, s.engagementId, f.id, { documentHash: f.documentHash, upstreamHash: f.upstreamToHash });
    await signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'preparation');
    expect((await advanceStage(s.deps, s.cast.consultant.id, s.engagementId)).to).to.equal('formatting');
  });

  it('refuses to advance without the owner sign-off, even with everything else done', async () => {
    await completeCurrentStage(s.deps, s.engagementId, s.cast, { signOff: false });
    const error = (await refusalOf(advanceStage(s.deps, s.cast.consultant.id, s.engagementId))) as BlockedError;
    expect(error.blockers.map((b) => b.kind)).to.deep.equal(['signoff']);
  });

  it('refuses a sign-off while a required task is open', async () => {
    const error = (await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'preparation'))) as BlockedError;
    expect(error).to.be.instanceOf(BlockedError);
    expect(error.blockers.some((b) => b.kind === 'task')).to.equal(true);
  });

  it('lets a stage close while its optional task is still open', async () => {
    // E1T's tasks are all required since Launch corrects the documentation; the Telegram variant keeps an optional one in Formatting.
    const { engagementId, cast } = await makeEngagement(s.deps, { methodology: 'e1t-telegram@1' });
    await completeCurrentStage(s.deps, engagementId, cast);
    await advanceStage(s.deps, cast.consultant.id, engagementId);
    const tasks = await s.db.orm.em.fork().find(Task, { engagement: engagementId, stageId: 'formatting' });
    const optional = tasks.filter((t) => !t.required);
    expect(optional.length).to.be.greaterThan(0);
    await completeCurrentStage(s.deps, engagementId, cast);
    const stillOpen = await s.db.orm.em.fork().find(Task, { engagement: engagementId, id: { $in: optional.map((t) => t.id) } });
    expect(stillOpen.map((t) => t.status)).to.deep.equal(optional.map(() => 'open'));
    expect((await advanceStage(s.deps, cast.consultant.id, engagementId)).to).to.equal('launch');
  });

  it('reopens the gate item when an approved document gets a new version', async () => {
    await completeCurrentStage(s.deps, s.engagementId, s.cast, { signOff: false });
    expect((await taskByKey('prep.competitors')).status).to.equal('done');
    await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'competitor-analysis', await contentOf('competitor-analysis', 'one more competitor'));
    expect((await taskByKey('prep.competitors')).status).to.equal('open');
    const error = (await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'preparation'))) as BlockedError;
    expect(error.blockers.map((b) => b.id)).to.deep.equal(['competitor-analysis']);
  });

  it('lets only the owner sign off, and the consultant or the owner (the project manager) advance, never staff', async () => {
    await completeCurrentStage(s.deps, s.engagementId, s.cast, { signOff: false });
    expect(await refusalOf(signStageOff(s.deps, s.cast.consultant.id, s.engagementId, 'preparation'))).to.be.instanceOf(ForbiddenError);
    await signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'preparation');
    expect(await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'preparation'))).to.be.instanceOf(ConflictError);
    expect(await refusalOf(advanceStage(s.deps, s.cast.staff[0]!.id, s.engagementId))).to.be.instanceOf(ForbiddenError);
    expect(await advanceStage(s.deps, s.cast.owner.id, s.engagementId)).to.deep.equal({ from: 'preparation', to: 'formatting' });
  });

  it('does not let a document or sign-off task be ticked by hand', async () => {
    const doc = await taskByKey('prep.competitors');
    const signoff = await taskByKey('prep.signoff');
    expect(await refusalOf(completeTask(s.deps, s.cast.consultant.id, s.engagementId, doc.id))).to.be.instanceOf(BlockedError);
    expect(await refusalOf(completeTask(s.deps, s.cast.consultant.id, s.engagementId, signoff.id))).to.be.instanceOf(BlockedError);
  });

  it('refuses to complete a task of a stage that has not started', async () => {
    const later = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, stageId: 'formatting', kind: 'work' }, { orderBy: { position: 'asc' } });
    const error = (await refusalOf(completeTask(s.deps, s.cast.consultant.id, s.engagementId, later.id))) as BlockedError;
    expect(error.reasons[0]).to.contain('has not started');
  });

  it('shows progress per stage from required tasks', async () => {
    const before = await getTimeline(s.deps, s.cast.owner.id, s.engagementId);
    expect(before.stages[0]!.progress.done).to.equal(0);
    await completeCurrentStage(s.deps, s.engagementId, s.cast, { signOff: false });
    const after = await getTimeline(s.deps, s.cast.owner.id, s.engagementId);
    expect(after.stages[0]!.progress.done).to.equal(after.stages[0]!.progress.total - 1);
    expect(after.gate!.map((b) => b.kind)).to.deep.equal(['signoff']);
  });
});

describe('document versions and approvals', () => {
  const s = useStartedEngagement();

  it('binds an approval to the exact version hash and refuses a stale one', async () => {
    const v1 = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'Первая версия'));
    const v2 = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'Вторая версия'));
    expect(v2.number).to.equal(2);
    expect(await refusalOf(approveDocument(s.deps, s.cast.owner.id, s.engagementId, v1.document.id, v1.contentHash))).to.be.instanceOf(ConflictError);
    await approveDocument(s.deps, s.cast.owner.id, s.engagementId, v2.document.id, v2.contentHash, 'Хорошо');
    const approval = await s.db.orm.em.fork().findOneOrFail(Approval, { document: v2.document.id }, { populate: ['version'] });
    expect([approval.contentHash, approval.version.number, approval.decision]).to.deep.equal([v2.contentHash, 2, 'approved']);
  });

  it('goes through changes requested, a new version and approval', async () => {
    const v1 = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'audience-segmentation', await contentOf('audience-segmentation', 'families'));
    await requestChanges(s.deps, s.cast.owner.id, s.engagementId, v1.document.id, v1.contentHash, 'Add office workers');
    const doc = () => s.db.orm.em.fork().findOneOrFail(ProjectDocument, v1.document.id);
    expect((await doc()).status).to.equal('changes_requested');
    const v2 = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'audience-segmentation', await contentOf('audience-segmentation', 'families and office workers'));
    expect((await doc()).status).to.equal('in_review');
    await approveDocument(s.deps, s.cast.owner.id, s.engagementId, v2.document.id, v2.contentHash);
    expect((await doc()).status).to.equal('approved');
    expect((await doc()).approvedHash).to.equal(v2.contentHash);
  });

  it('gives the same content the same hash whatever the key order, and refuses an unchanged resubmission', async () => {
    const content = await contentOf('content-concept');
    await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', content);
    const reordered = Object.fromEntries(Object.entries(content).reverse());
    expect(Object.keys(reordered)).not.to.deep.equal(Object.keys(content));
    const error = await refusalOf(submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', reordered));
    expect(error).to.be.instanceOf(InvalidInputError);
  });

  it('refuses a request for changes without a comment, approval by anyone but the owner, and an unknown type', async () => {
    const v1 = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'x'));
    expect(await refusalOf(requestChanges(s.deps, s.cast.owner.id, s.engagementId, v1.document.id, v1.contentHash, '  '))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(approveDocument(s.deps, s.cast.consultant.id, s.engagementId, v1.document.id, v1.contentHash))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'no-such', { text: 'x' }))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(submitDocumentVersion(s.deps, s.cast.owner.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'y')))).to.be.instanceOf(ForbiddenError);
  });

  it('never changes an approved version: editing makes a new one that needs approval again', async () => {
    const approved = await contentOf('content-concept', 'approved text');
    const v1 = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', approved);
    await approveDocument(s.deps, s.cast.owner.id, s.engagementId, v1.document.id, v1.contentHash);
    await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'corrected text'));
    const em = s.db.orm.em.fork();
    const doc = await em.findOneOrFail(ProjectDocument, v1.document.id);
    expect([doc.status, doc.latestVersion, doc.approvedHash]).to.deep.equal(['in_review', 2, v1.contentHash]);
    const { DocumentVersion } = await import('../../src/documents/document.entity.ts');
    const first = await em.findOneOrFail(DocumentVersion, { document: doc, number: 1 });
    expect(first.content).to.deep.equal(approved);
    expect(first.contentHash).to.equal(v1.contentHash);
  });
});
