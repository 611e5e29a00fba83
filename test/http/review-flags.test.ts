import { expect } from 'chai';
import { useWebApp, setPassword } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { ReviewFlag } from '../../src/documents/review-flag.entity.ts';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** The lines of the gate box: what still holds the stage. */
function gateLinesOf(html: string): string[] {
  const box = /<section class="card gate" id="gate">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  const list = /<ul>([\s\S]*?)<\/ul>/.exec(box)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => text(m[1]!).trim());
}

describe('reviewing a document after the one it builds on changed, over HTTP', function () {
  this.timeout(120_000);
  const suite = useWebApp();
  const deps = () => suite.app.deps;

  async function approve(typeId: string, tag: string) {
    const version = await submitDocumentVersion(deps(), suite.cast.consultant.id, suite.engagementId, typeId, await contentOf(typeId, tag));
    await approveDocument(deps(), suite.cast.owner.id, suite.engagementId, version.document.id, version.contentHash);
    return version;
  }

  async function flagged() {
    await approve('audience-segmentation', 'segments');
    await approve('target-criteria', 'criteria');
    await approve('content-concept', 'concept');
    await approve('audience-segmentation', 'segments revised');
    return suite.db.orm.em.fork().findOneOrFail(ReviewFlag, { engagement: suite.engagementId });
  }

  it('shows the flag in the gate box and the review page, and the owner confirms it, in English and Russian', async () => {
    const flag = await flagged();
    const engagementPage = `/engagements/${suite.engagementId}`;
    const review = `${engagementPage}/reviews/${flag.id}`;
    const owner = await suite.signedIn(suite.cast.owner);

    const page = (await owner.get(engagementPage)).text;
    expect(gateLinesOf(page)).to.include('“Content concept” needs review: “Audience segmentation”, which it builds on, was approved in a new version');
    expect(page, 'the gate box leads to the review').to.contain(`href="${review}"`);
    const home = (await owner.get('/')).text;
    expect(text(home), 'the owner\'s waiting list names it').to.contain('Review: Content concept (“Audience segmentation” changed)');

    const shown = await owner.get(review);
    expect(shown.status).to.equal(200);
    expect(text(shown.text)).to.contain('“Content concept” (version 1) was approved on version 1 of “Audience segmentation”, which it builds on. Version 2 of “Audience segmentation” has since been approved.');
    expect(shown.text, 'the upstream changes are marked').to.match(/class="diff-added"|class="row-(added|changed)"/);
    expect(shown.text).to.contain('It still holds: confirm version 1');

    await owner.post('/language', { locale: 'ru', back: review });
    const ru = text((await owner.get(review)).text);
    expect(ru).to.contain('Нужен пересмотр: Контент-концепция');
    expect(ru).to.contain('Остаётся в силе: подтвердить версию 1');
    expect(gateLinesOf((await owner.get(engagementPage)).text)).to.include('«Контент-концепция» нужно пересмотреть: утверждена новая версия документа «Сегментация аудитории», на котором он основан');

    await owner.get(review);
    const stale = await owner.post(`${review}/confirm`, { documentHash: flag.documentHash, upstreamHash: flag.upstreamFromHash, __referer: review });
    expect(stale.status, 'a confirmation of an older upstream version is refused').to.equal(409);
    expect(text(stale.text)).to.contain('Документы изменились, пока вы читали; откройте пересмотр заново');

    await owner.get(review);
    const confirmed = await owner.post(`${review}/confirm`, { documentHash: flag.documentHash, upstreamHash: flag.upstreamToHash, __referer: review });
    expect(confirmed.status).to.equal(303);
    const after = text((await owner.follow(confirmed)).text);
    expect(after).to.contain('«Контент-концепция» подтверждён: он остаётся в силе.');
    expect(after).to.contain('Подтверждено: «Контент-концепция» остаётся в силе');
    expect(gateLinesOf((await owner.get(engagementPage)).text).some((l) => l.includes('пересмотреть'))).to.equal(false);
    expect(text((await owner.get(`${engagementPage}/events`)).text)).to.contain('подтверждено, что документ остаётся в силе после изменения исходного');
  });

  it('asks for changes with a comment, refuses an empty one in the reader\'s words, and hides the review from outsiders', async () => {
    const flag = await flagged();
    const review = `/engagements/${suite.engagementId}/reviews/${flag.id}`;
    const owner = await suite.signedIn(suite.cast.owner);
    await owner.get(review);
    const empty = await owner.post(`${review}/request-changes`, { comment: '  ', __referer: review });
    expect(empty.status).to.equal(422);
    expect(text(empty.text)).to.contain('say what should change');
    await owner.get(review);
    const asked = await owner.post(`${review}/request-changes`, { comment: 'Rewrite the tone for the new segments.', __referer: review });
    expect(asked.status).to.equal(303);
    const after = text((await owner.follow(asked)).text);
    expect(after).to.contain('Changes are asked for “Content concept”.');
    expect(after).to.contain('Rewrite the tone for the new segments.');
    expect(after, 'no second answer is offered').not.to.contain('It still holds');

    const consultant = await suite.signedIn(suite.cast.consultant);
    expect(text((await consultant.get('/')).text)).to.contain('Revise after review: Content concept (“Audience segmentation” changed)');
    const staff = await suite.signedIn(suite.cast.staff[0]!);
    expect((await staff.get(review)).status, 'staff of the engagement may read it').to.equal(200);
    await setPassword(suite.db, suite.cast.outsider.id);
    const stranger = await suite.signedIn(suite.cast.outsider);
    expect((await stranger.get(review)).status, 'someone outside the engagement meets "not found"').to.equal(404);
  });
});
