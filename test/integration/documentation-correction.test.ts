import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { contentOf } from '../helpers/content.ts';
import { completeCurrentStage, confirmEarlierDocuments, makeDeps, makeEngagement, registryWith, METHODOLOGY_DIR, useStartedEngagement, type Cast, type EngagementSuite } from '../helpers/factories.ts';
import { advanceStage, signStageOff } from '../../src/engagement/engagement.service.ts';
import { completeTask } from '../../src/engagement/tasks.service.ts';
import { approveDocument, saveDocumentDraft, submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { confirmDocumentUnchanged } from '../../src/documents/documentation-review.service.ts';
import { ProjectDocument, DocumentVersion } from '../../src/documents/document.entity.ts';
import { Engagement, EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import { MethodologyRegistry } from '../../src/methodology/methodology.registry.ts';
import { BlockedError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/errors.ts';
import type { Blocker } from '../../src/engagement/gate.ts';
import type { Methodology } from '../../src/methodology/methodology.schema.ts';

type Correction = Extract<Blocker, { kind: 'correction' }>;
const correctionsOf = (error: Error) => (error as BlockedError).blockers.filter((b): b is Correction => b.kind === 'correction');

async function intoLaunch(s: EngagementSuite, engagementId = s.engagementId, cast: Cast = s.cast): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await completeCurrentStage(s.deps, engagementId, cast);
    await advanceStage(s.deps, cast.consultant.id, engagementId);
  }
}

const documentOf = (s: EngagementSuite, typeId: string, engagementId = s.engagementId) => s.db.orm.em.fork().findOneOrFail(ProjectDocument, { engagement: engagementId, typeId });
const taskOf = (s: EngagementSuite, engagementId = s.engagementId) => s.db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'launch.docs-correction' });
const eventCount = async (s: EngagementSuite, engagementId = s.engagementId) => (await s.db.orm.em.fork().findOneOrFail(Engagement, engagementId)).eventSeq;

/** Every earlier document: the twelve of Preparation and Formatting, all approved once. */
const earlierDocuments = (s: EngagementSuite) => s.db.orm.em.fork().find(ProjectDocument, { engagement: s.engagementId, stageId: { $in: ['preparation', 'formatting'] } });

describe('correcting the documentation in Launch', function () {
  this.timeout(120_000);
  const s = useStartedEngagement();

  it('keeps Launch closed while a document is neither confirmed nor approved again, names each, and closes the task by itself once all are', async () => {
    await intoLaunch(s);
    const documents = await earlierDocuments(s);
    expect(documents.length).to.be.greaterThan(5);

    const fresh = await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'launch'));
    expect(fresh).to.be.instanceOf(BlockedError);
    expect(correctionsOf(fresh).map((b) => [b.id, b.state])).to.have.deep.members(documents.map((d) => [d.typeId, 'notReviewed']));
    expect((fresh as BlockedError).blockers.some((b) => b.kind === 'task' && b.id === 'launch.docs-correction'), 'the documents stand for the task').to.equal(false);
    expect((fresh as BlockedError).reasons.join('\n')).to.contain('“Competitor analysis in social networks” is not reviewed yet: the owner confirms it needs no changes or approves a new version');

    for (const d of documents.filter((d) => d.typeId !== 'competitor-analysis')) await confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, d.id, d.latestHash!);
    const revised = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'competitor-analysis', await contentOf('competitor-analysis', 'what the launch showed'));
    const pending = await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'launch'));
    expect(correctionsOf(pending).map((b) => [b.id, b.state, b.status])).to.deep.equal([['competitor-analysis', 'inProgress', 'in_review']]);
    expect((await taskOf(s)).status).to.equal('open');

    await approveDocument(s.deps, s.cast.owner.id, s.engagementId, revised.document.id, revised.contentHash);
    const task = await taskOf(s);
    expect([task.status, task.completedBy?.id]).to.deep.equal(['done', s.cast.owner.id]);
    const events = await s.db.orm.em.fork().find(EngagementEvent, { engagement: s.engagementId, type: 'document.confirm' }, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.payload.typeId, e.payload.contentHash, e.actor?.id, e.toState])).to.have.deep.members(
      documents.filter((d) => d.typeId !== 'competitor-analysis').map((d) => [d.typeId, d.latestHash, s.cast.owner.id, 'launch']),
    );

    await completeCurrentStage(s.deps, s.engagementId, s.cast);
    expect((await advanceStage(s.deps, s.cast.consultant.id, s.engagementId)).to).to.equal('completed');
  });

  it('opens the task again when a confirmed document gets a new draft, and refuses to confirm the draft or the version it replaces', async () => {
    await intoLaunch(s);
    await confirmEarlierDocuments(s.deps, s.engagementId, s.cast, 'launch');
    expect((await taskOf(s)).status).to.equal('done');
    const before = await documentOf(s, 'content-concept');

    await saveDocumentDraft(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'a weekday moved'));
    expect((await taskOf(s)).status).to.equal('open');
    const gate = correctionsOf(await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'launch')));
    expect(gate.map((b) => [b.id, b.state, b.status])).to.deep.equal([['content-concept', 'inProgress', 'draft']]);

    const old = await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, before.id, before.latestHash!));
    expect(old).to.be.instanceOf(ConflictError);
    expect(old.message).to.equal(`The version you confirmed is not the latest version of this document (version ${before.latestVersion + 1}); read the latest one first`);
    const draft = await documentOf(s, 'content-concept');
    const unapproved = await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, draft.id, draft.latestHash!));
    expect(unapproved).to.be.instanceOf(BlockedError);
    expect(unapproved.message).to.equal(`The document cannot be confirmed: its version ${draft.latestVersion} is not approved: approve it instead`);
  });

  it('refuses another engagement\'s document, an older version, a second confirmation, a Launch document and anyone but the owner, changing nothing', async () => {
    await intoLaunch(s);
    const other = await makeEngagement(s.deps);
    await completeCurrentStage(s.deps, other.engagementId, other.cast);
    const foreign = await documentOf(s, 'competitor-analysis', other.engagementId);
    const mine = await documentOf(s, 'competitor-analysis');
    const first = await s.db.orm.em.fork().findOneOrFail(DocumentVersion, { document: mine.id, number: 1 });
    const revised = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'competitor-analysis', await contentOf('competitor-analysis', 'second look'));
    await approveDocument(s.deps, s.cast.owner.id, s.engagementId, revised.document.id, revised.contentHash);
    const audience = await documentOf(s, 'audience-segmentation');
    await confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, audience.id, audience.latestHash!);
    const plan = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'quarterly-plan', await contentOf('quarterly-plan'));
    await approveDocument(s.deps, s.cast.owner.id, s.engagementId, plan.document.id, plan.contentHash);
    const seq = await eventCount(s);
    const taskBefore = await taskOf(s);

    const refusals = [
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, foreign.id, foreign.latestHash!)), NotFoundError, 'Document was not found'],
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, mine.id, first.contentHash)), ConflictError, 'The version you confirmed is not the latest version of this document (version 2); read the latest one first'],
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, mine.id, revised.contentHash)), ConflictError, 'Version 2 is already approved in this stage'],
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, audience.id, audience.latestHash!)), ConflictError, `Version ${audience.latestVersion} is already confirmed`],
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, plan.document.id, plan.contentHash)), InvalidInputError, 'documentId: this document is not among the project documents to correct'],
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.consultant.id, s.engagementId, audience.id, audience.latestHash!)), ForbiddenError, 'Only the owner confirms project documents'],
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.staff[0]!.id, s.engagementId, audience.id, audience.latestHash!)), ForbiddenError, 'Only the owner confirms project documents'],
      [await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.outsider.id, s.engagementId, audience.id, audience.latestHash!)), NotFoundError, 'Engagement was not found'],
    ] as const;
    for (const [error, type, message] of refusals) {
      expect(error, message).to.be.instanceOf(type);
      expect(error.message).to.equal(message);
    }
    expect(await eventCount(s), 'no event appended').to.equal(seq);
    expect((await taskOf(s)).status).to.equal(taskBefore.status);
  });

  it('refuses confirming before Launch, and completing the task by hand while documents are left, naming them', async () => {
    await completeCurrentStage(s.deps, s.engagementId, s.cast);
    await advanceStage(s.deps, s.cast.consultant.id, s.engagementId);
    const early = await documentOf(s, 'competitor-analysis');
    const refused = await refusalOf(confirmDocumentUnchanged(s.deps, s.cast.owner.id, s.engagementId, early.id, early.latestHash!));
    expect(refused).to.be.instanceOf(BlockedError);
    expect(refused.message).to.equal('The document cannot be confirmed: documents are confirmed only during the stage that corrects the documentation');

    await completeCurrentStage(s.deps, s.engagementId, s.cast);
    await advanceStage(s.deps, s.cast.consultant.id, s.engagementId);
    const task = await taskOf(s);
    const byHand = await refusalOf(completeTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, 'all fine'));
    expect(byHand).to.be.instanceOf(BlockedError);
    expect(byHand.message).to.match(/^This task completes when every project document is confirmed or approved again: “Documentation formats” is not reviewed yet/);
    expect(correctionsOf(byHand).length).to.equal((await earlierDocuments(s)).length);
    expect((await taskOf(s)).status).to.equal('open');
  });

  it('names the documents in the owner\'s Russian', async () => {
    await intoLaunch(s);
    await s.db.orm.em.fork().nativeUpdate(User, { id: s.cast.owner.id }, { locale: 'ru' });
    const error = await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'launch'));
    expect(correctionsOf(error).map((b) => b.title)).to.include.members(['Анализ конкурентов в соцсетях', 'Форматы проектной документации']);
  });
});

describe('an engagement on the methodology before the correction rule', function () {
  this.timeout(120_000);
  const s = useStartedEngagement();

  /** E1T v1 as it was frozen before: no gate rule in Launch, the correction an optional task of the consultant. */
  function registryBeforeTheRule(): MethodologyRegistry {
    const loaded = registryWith(METHODOLOGY_DIR).list().find((m) => m.key === 'e1t@1')!;
    const definition: Methodology = structuredClone(loaded.definition);
    const launch = definition.stages[2]!;
    delete launch.gate;
    Object.assign(launch.tasks.find((t) => t.id === 'launch.docs-correction')!, { role: 'consultant', required: false });
    return new MethodologyRegistry(new Map([['e1t@1', { ...loaded, hash: `${loaded.hash.slice(0, 56)}0before`, definition }]]));
  }

  it('walks through Launch as before: no document to confirm, the optional task left open, confirming refused', async () => {
    const { engagementId, cast } = await makeEngagement({ ...makeDeps(s.db.orm, registryBeforeTheRule()) });
    await intoLaunch(s, engagementId, cast);
    const task = await taskOf(s, engagementId);
    expect([task.role, task.required]).to.deep.equal(['consultant', false]);
    const early = await documentOf(s, 'competitor-analysis', engagementId);
    const refused = await refusalOf(confirmDocumentUnchanged(s.deps, cast.owner.id, engagementId, early.id, early.latestHash!));
    expect(refused.message).to.equal("The document cannot be confirmed: this engagement's methodology has no correction of the documentation");

    await completeCurrentStage(s.deps, engagementId, cast);
    expect((await taskOf(s, engagementId)).status).to.equal('open');
    expect((await advanceStage(s.deps, cast.consultant.id, engagementId)).to).to.equal('completed');
  });
});
