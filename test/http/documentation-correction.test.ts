import { expect } from 'chai';
import { useWebApp, type WebClient } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { completeCurrentStage, confirmEarlierDocuments, makeEngagement, type Cast } from '../helpers/factories.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { ProjectDocument, DocumentVersion } from '../../src/documents/document.entity.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** The lines of the gate box: what still holds the stage. */
function gateLinesOf(html: string): string[] {
  const box = /<section class="card gate" id="gate">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  const list = /<ul>([\s\S]*?)<\/ul>/.exec(box)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
}

/** Each row of the review list: the document's type id, its state class and whether it has a confirm button. */
function reviewRowsOf(html: string): { typeId: string; state: string; text: string; canConfirm: boolean }[] {
  const table = /<table class="table review">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr id="review-([a-z-]+)" class="review-(\w+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    typeId: m[1]!,
    state: m[2]!,
    text: m[3]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
    canConfirm: m[3]!.includes('/confirm"'),
  }));
}

describe('correcting the documentation in Launch over HTTP', function () {
  this.timeout(180_000);
  const suite = useWebApp();
  const page = (engagementId = suite.engagementId) => `/engagements/${engagementId}`;
  const deps = () => suite.app.deps;

  async function intoLaunch(engagementId = suite.engagementId, cast: Cast = suite.cast): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await completeCurrentStage(deps(), engagementId, cast);
      await advanceStage(deps(), cast.consultant.id, engagementId);
    }
  }

  const taskPage = async () => `${page()}/tasks/${(await suite.db.orm.em.fork().findOneOrFail(Task, { engagement: suite.engagementId, key: 'launch.docs-correction' })).id}`;
  const documentOf = (typeId: string, engagementId = suite.engagementId) => suite.db.orm.em.fork().findOneOrFail(ProjectDocument, { engagement: engagementId, typeId });
  const eventSeq = async () => (await suite.db.orm.em.fork().findOneOrFail(Engagement, suite.engagementId)).eventSeq;

  /** The owner presses "Confirm" on the row of this document, from the review list. */
  async function confirmFromList(owner: WebClient, typeId: string, hash?: string) {
    const list = await taskPage();
    const document = await documentOf(typeId);
    await owner.get(list);
    return owner.post(`${page()}/documents/${document.id}/confirm`, { hash: hash ?? document.latestHash!, taskId: list.split('/').at(-1)!, __referer: list });
  }

  it('lists every earlier document with its state on the task page, confirms one from its button, and follows a new version, in English and Russian', async () => {
    await intoLaunch();
    const owner = await suite.signedIn(suite.cast.owner);
    const consultant = await suite.signedIn(suite.cast.consultant);
    const earlier = await suite.db.orm.em.fork().find(ProjectDocument, { engagement: suite.engagementId, stageId: { $in: ['preparation', 'formatting'] } });

    const list = (await owner.get(await taskPage())).text;
    expect(list).to.contain('<h2 id="review-title">Project documents to review</h2>');
    const rows = reviewRowsOf(list);
    expect(rows.map((r) => r.typeId)).to.have.members(earlier.map((d) => d.typeId));
    expect(rows.every((r) => r.state === 'notReviewed' && r.canConfirm && r.text.includes('not yet reviewed'))).to.equal(true);
    expect(list).to.contain(escapeHtml('Settled: 0 of ' + earlier.length));
    expect(reviewRowsOf((await consultant.get(await taskPage())).text).some((r) => r.canConfirm), 'the consultant sees no confirm button').to.equal(false);

    const confirmed = await confirmFromList(owner, 'competitor-analysis');
    expect(confirmed.status).to.equal(303);
    expect(confirmed.location).to.match(/\/tasks\/[0-9a-f-]+#review-competitor-analysis$/);
    const after = (await owner.follow(confirmed)).text;
    expect(after).to.contain(escapeHtml('“Competitor analysis in social networks”, version 1: confirmed, no changes needed.'));
    const competitors = reviewRowsOf(after).find((r) => r.typeId === 'competitor-analysis')!;
    expect([competitors.state, competitors.canConfirm, competitors.text.includes('confirmed: no changes needed')]).to.deep.equal(['confirmed', false, true]);
    expect((await owner.get(`${page()}/events`)).text, 'the event log names the confirmation').to.contain('confirmed a document needs no changes');

    const revised = await submitDocumentVersion(deps(), suite.cast.consultant.id, suite.engagementId, 'content-concept', await contentOf('content-concept', 'after launch'));
    const inReview = reviewRowsOf((await owner.get(await taskPage())).text).find((r) => r.typeId === 'content-concept')!;
    expect([inReview.state, inReview.canConfirm, inReview.text.includes('new version in progress (in review)')]).to.deep.equal(['inProgress', false, true]);
    await owner.get(`${page()}/documents/${revised.document.id}`);
    expect((await owner.post(`${page()}/documents/${revised.document.id}/approve`, { hash: revised.contentHash })).status).to.equal(303);

    await owner.post('/language', { locale: 'ru', back: page() });
    const russian = (await owner.get(await taskPage())).text;
    expect(russian).to.contain('Проектные документы на проверку');
    const ru = reviewRowsOf(russian);
    expect(ru.find((r) => r.typeId === 'competitor-analysis')!.text).to.contain('подтверждён: правки не нужны');
    expect(ru.find((r) => r.typeId === 'content-concept')!.text).to.contain('утверждён в новой версии');
    expect(ru.find((r) => r.typeId === 'target-criteria')!.text).to.contain('ещё не проверен').and.contain('Подтвердить: правки не нужны');
    const russianConfirm = await owner.follow(await confirmFromList(owner, 'target-criteria'));
    expect(russianConfirm.text).to.contain(escapeHtml('Документ «Целевые критерии (KPI активности в соцсетях)», версия 1: подтверждено, правки не нужны.'));
    expect(russianConfirm.text).to.contain(escapeHtml(`Решено: 3 из ${earlier.length}`));
    expect((await owner.get(`${page()}/events`)).text).to.contain('подтверждение документа без правок');
  });

  it('names each document left in the gate box with a link, in both languages, until every one is settled and the task closes by itself', async () => {
    await intoLaunch();
    const consultant = await suite.signedIn(suite.cast.consultant);
    const owner = await suite.signedIn(suite.cast.owner);
    const revised = await submitDocumentVersion(deps(), suite.cast.consultant.id, suite.engagementId, 'audience-segmentation', await contentOf('audience-segmentation', 'a new segment'));

    const html = (await consultant.get(page())).text;
    const english = gateLinesOf(html);
    expect(english).to.include(escapeHtml('“Documentation formats” is not reviewed yet: the owner confirms it needs no changes or approves a new version'));
    expect(english).to.include(escapeHtml('A new version of “Audience segmentation” is not approved yet (in review)'));
    expect(english.join('\n'), 'the documents stand for the task').not.to.contain('Correct the project documentation');
    expect(html).to.match(/<li class="gate-step-correction"><a href="\/engagements\/[0-9a-f-]+\/tasks\/[0-9a-f-]+#review-documentation-formats">Documentation formats<\/a>/);
    expect(html).to.contain(`<li class="gate-step-correction"><a href="${page()}/documents/${revised.document.id}">Audience segmentation</a>`);

    await owner.get(page());
    await owner.post('/language', { locale: 'ru', back: page() });
    const russian = gateLinesOf((await owner.get(page())).text);
    expect(russian).to.include(escapeHtml('Документ «Анализ конкурентов в соцсетях» ещё не проверен: владелец подтверждает, что правки не нужны, или утверждает новую версию'));
    expect(russian).to.include(escapeHtml('Новая версия документа «Сегментация аудитории» ещё не утверждена (на утверждении)'));

    await approveDocument(deps(), suite.cast.owner.id, suite.engagementId, revised.document.id, revised.contentHash);
    await confirmEarlierDocuments(deps(), suite.engagementId, suite.cast, 'launch');
    const settled = (await consultant.get(page())).text;
    expect(gateLinesOf(settled).join('\n')).not.to.match(/not reviewed yet|not approved yet/);
    expect((await suite.db.orm.em.fork().findOneOrFail(Task, { engagement: suite.engagementId, key: 'launch.docs-correction' })).status).to.equal('done');
  });

  it('refuses another engagement\'s document, a version that is not the latest, a consultant and a task closed by hand, with the reason in the reader\'s language and nothing changed', async () => {
    await intoLaunch();
    const other = await makeEngagement(deps());
    await completeCurrentStage(deps(), other.engagementId, other.cast);
    const owner = await suite.signedIn(suite.cast.owner);
    const consultant = await suite.signedIn(suite.cast.consultant);
    const first = await documentOf('competitor-analysis');
    const revised = await submitDocumentVersion(deps(), suite.cast.consultant.id, suite.engagementId, 'competitor-analysis', await contentOf('competitor-analysis', 'second look'));
    await approveDocument(deps(), suite.cast.owner.id, suite.engagementId, revised.document.id, revised.contentHash);
    const firstHash = (await suite.db.orm.em.fork().findOneOrFail(DocumentVersion, { document: first.id, number: 1 })).contentHash;
    const seq = await eventSeq();

    const foreign = await documentOf('competitor-analysis', other.engagementId);
    await owner.get(await taskPage());
    expect((await owner.post(`${page()}/documents/${foreign.id}/confirm`, { hash: foreign.latestHash! })).status, 'another engagement\'s document is not found').to.equal(404);

    const stale = await confirmFromList(owner, 'competitor-analysis', firstHash);
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain(escapeHtml('The version you confirmed is not the latest version of this document (version 2); read the latest one first'));
    expect(stale.text, 'the list is shown again').to.contain('Project documents to review');

    const byConsultant = await confirmFromList(consultant, 'documentation-formats');
    expect(byConsultant.status).to.equal(403);

    await consultant.get(await taskPage());
    const byHand = await consultant.post(`${await taskPage()}/complete`, { note: 'looks fine', __referer: await taskPage() });
    expect(byHand.status).to.equal(409);
    expect(byHand.text).to.contain('This task completes when every project document is confirmed or approved again');
    expect(byHand.text).to.contain(escapeHtml('“Documentation formats” is not reviewed yet'));

    await owner.post('/language', { locale: 'ru', back: page() });
    const staleRu = await confirmFromList(owner, 'competitor-analysis', firstHash);
    expect(staleRu.status).to.equal(409);
    expect(staleRu.text).to.contain(escapeHtml('Подтверждаемая версия — не последняя версия этого документа (последняя — 2); сначала прочитайте её'));
    const again = await confirmFromList(owner, 'competitor-analysis');
    expect(again.status).to.equal(409);
    expect(again.text).to.contain(escapeHtml('Версия 2 уже утверждена на этом этапе'));

    expect(await eventSeq(), 'no refused form appended an event').to.equal(seq);
  });
});
