import { expect } from 'chai';
import { useStartedEngagement } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { confirmStillHolds, requestReviewChanges } from '../../src/documents/review-flags.service.ts';
import { ReviewFlag } from '../../src/documents/review-flag.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { getEngagementOverview } from '../../src/engagement/overview.ts';
import { listWaitingForMe } from '../../src/queue/waiting.queries.ts';
import { getReviewPage } from '../../src/documents/review-flags.queries.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/errors.ts';

describe('review needed after an upstream document changes (service API)', function () {
  this.timeout(60_000);
  const suite = useStartedEngagement();

  /** The consultant writes a version of the document and the owner approves it; returns its hash. */
  async function approve(typeId: string, tag: string): Promise<{ documentId: string; hash: string }> {
    const version = await submitDocumentVersion(suite.deps, suite.cast.consultant.id, suite.engagementId, typeId, await contentOf(typeId, tag));
    await approveDocument(suite.deps, suite.cast.owner.id, suite.engagementId, version.document.id, version.contentHash);
    return { documentId: version.document.id, hash: version.contentHash };
  }

  const flags = () => suite.db.orm.em.fork().find(ReviewFlag, { engagement: suite.engagementId }, { populate: ['document', 'upstream'], orderBy: { raisedAt: 'asc' } });
  const eventsOf = (type: string) => suite.db.orm.em.fork().find(EngagementEvent, { engagement: suite.engagementId, type }, { orderBy: { seq: 'asc' } });
  const gate = async (language: 'en' | 'ru' = 'en') => (await getEngagementOverview(suite.deps, suite.cast.consultant.id, suite.engagementId, language)).timeline.gate ?? [];
  const reviewBlockers = async (language: 'en' | 'ru' = 'en') => (await gate(language)).filter((b) => b.kind === 'review');

  it('flags the approved content concept when the audience segmentation is approved anew, holds the gate, and the owner confirms it naming both hashes', async () => {
    const segmentation = await approve('audience-segmentation', 'first segments');
    await approve('target-criteria', 'criteria');
    const concept = await approve('content-concept', 'concept');
    expect(await flags(), 'the first approvals flag nothing').to.have.length(0);

    const revised = await approve('audience-segmentation', 'segments revised');
    const [flag] = await flags();
    expect(flag, 'the concept is flagged').to.exist;
    expect([flag!.document.id, flag!.upstream.id, flag!.status, flag!.documentHash, flag!.upstreamFromHash, flag!.upstreamToHash]).to.deep.equal([concept.documentId, segmentation.documentId, 'open', concept.hash, segmentation.hash, revised.hash]);
    const [raised] = await eventsOf('document.reviewNeeded');
    expect(raised!.payload).to.include({ flagId: flag!.id, documentId: concept.documentId, contentHash: concept.hash, upstreamFromHash: segmentation.hash, upstreamToHash: revised.hash });

    const held = await reviewBlockers();
    expect(held.map((b) => [b.id, b.title, b.kind === 'review' && b.upstreamTitle])).to.deep.equal([[flag!.id, 'Content concept', 'Audience segmentation']]);
    expect((await reviewBlockers('ru')).map((b) => b.title), 'titled in Russian for a Russian reader').to.deep.equal(['Контент-концепция']);
    const ownerWaits = await listWaitingForMe(suite.deps, suite.cast.owner.id, 'en', { engagementId: suite.engagementId });
    expect(ownerWaits.filter((w) => w.kind === 'reviewNeeded').map((w) => [w.href, 'upstream' in w && w.upstream])).to.deep.equal([[`/engagements/${suite.engagementId}/reviews/${flag!.id}`, 'Audience segmentation']]);

    const page = await getReviewPage(suite.deps, suite.cast.owner.id, suite.engagementId, flag!.id, 'en');
    expect([page.canDecide, page.upstream.fromVersion, page.upstream.toVersion, page.changes.some((s) => s.isChanged)]).to.deep.equal([true, 1, 2, true]);

    await confirmStillHolds(suite.deps, suite.cast.owner.id, suite.engagementId, flag!.id, { documentHash: concept.hash, upstreamHash: revised.hash });
    const [confirmed] = await eventsOf('document.reviewConfirm');
    expect(confirmed!.payload, 'the event names the document version and the upstream version').to.include({ flagId: flag!.id, contentHash: concept.hash, upstreamHash: revised.hash });
    expect((await flags())[0]!.status).to.equal('confirmed');
    expect(await reviewBlockers(), 'a confirmed review no longer holds the gate').to.deep.equal([]);
    expect((await listWaitingForMe(suite.deps, suite.cast.owner.id, 'en')).some((w) => w.kind === 'reviewNeeded')).to.equal(false);
  });

  it('keeps the review open through a request for changes until a new version of the document is approved', async () => {
    await approve('audience-segmentation', 'segments');
    await approve('target-criteria', 'criteria');
    const concept = await approve('content-concept', 'concept');
    await approve('target-criteria', 'criteria revised');
    const [flag] = await flags();
    await requestReviewChanges(suite.deps, suite.cast.owner.id, suite.engagementId, flag!.id, 'The new criteria change the tone.');
    expect((await reviewBlockers()).map((b) => b.kind === 'review' && b.status)).to.deep.equal(['changesRequested']);
    const consultantWaits = await listWaitingForMe(suite.deps, suite.cast.consultant.id, 'en', { engagementId: suite.engagementId });
    expect(consultantWaits.filter((w) => w.kind === 'reviewChanges').map((w) => 'comment' in w && w.comment)).to.deep.equal(['The new criteria change the tone.']);
    const stale = await confirmStillHolds(suite.deps, suite.cast.owner.id, suite.engagementId, flag!.id, { documentHash: concept.hash, upstreamHash: flag!.upstreamToHash }).catch((e) => e);
    expect(stale).to.be.instanceOf(ConflictError);

    await approve('content-concept', 'concept rewritten');
    expect((await flags())[0]!.status, 'the new approved version settles the review').to.equal('superseded');
    expect(await reviewBlockers()).to.deep.equal([]);
  });

  it('refuses everyone but the owner, a confirmation of what the owner did not read, and people outside the engagement', async () => {
    await approve('audience-segmentation', 'segments');
    const concept = await approve('content-concept', 'concept');
    await approve('audience-segmentation', 'segments 2');
    const second = await approve('audience-segmentation', 'segments 3');
    const all = await flags();
    expect(all, 'one unsettled flag per pair, moved to the newest upstream version').to.have.length(1);
    const flag = all[0]!;
    expect(flag.upstreamToHash).to.equal(second.hash);
    const seen = { documentHash: concept.hash, upstreamHash: second.hash };
    const byStaff = await confirmStillHolds(suite.deps, suite.cast.staff[0]!.id, suite.engagementId, flag.id, seen).catch((e) => e);
    const byConsultant = await requestReviewChanges(suite.deps, suite.cast.consultant.id, suite.engagementId, flag.id, 'no').catch((e) => e);
    const byOutsider = await confirmStillHolds(suite.deps, suite.cast.outsider.id, suite.engagementId, flag.id, seen).catch((e) => e);
    const outsiderReads = await getReviewPage(suite.deps, suite.cast.outsider.id, suite.engagementId, flag.id, 'en').catch((e) => e);
    const staleUpstream = await confirmStillHolds(suite.deps, suite.cast.owner.id, suite.engagementId, flag.id, { ...seen, upstreamHash: flag.upstreamFromHash }).catch((e) => e);
    expect([byStaff, byConsultant].map((e) => e instanceof ForbiddenError)).to.deep.equal([true, true]);
    expect([byOutsider, outsiderReads].map((e) => e instanceof NotFoundError)).to.deep.equal([true, true]);
    expect(staleUpstream).to.be.instanceOf(ConflictError);
    expect((await flags())[0]!.status, 'nothing changed').to.equal('open');
    expect(await eventsOf('document.reviewConfirm')).to.have.length(0);
  });
});
