import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement, registryWith, completeCurrentStage, METHODOLOGY_DIR, type Cast } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { useBrowserSuite, submit } from '../helpers/browser.ts';
import { expectAccessible, expectNoHorizontalOverflow } from '../helpers/axe.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { ProjectDocument } from '../../src/documents/document.entity.ts';
import { ReviewFlag } from '../../src/documents/review-flag.entity.ts';

/** A living method in a real browser: a review after an upstream change, an upgrade to a newer version, a verified approval. */
describe('a living method in the browser', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite({ methodologies: registryWith(METHODOLOGY_DIR, 'test/fixtures/upgrade') });

  async function engagement(): Promise<{ engagementId: string; cast: Cast }> {
    const made = await makeEngagement(suite.app.deps, { methodology: 'e1t@1' });
    for (const person of [made.cast.consultant, made.cast.owner]) await setPassword(suite.db, person.id);
    return made;
  }

  async function person(email: string, locale: 'en' | 'ru'): Promise<Page> {
    const page = await suite.newPerson();
    await page.setViewport({ width: 1280, height: 900 });
    await suite.signIn(page, email);
    if (locale === 'ru') await submit(page, '/language', /Русский/);
    return page;
  }

  const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
  const textsOf = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()));

  /** The page as it stands, on a phone and a wide screen: no accessibility faults, no sideways scrolling on the phone. */
  async function checkLayout(page: Page, label: string): Promise<void> {
    for (const width of [390, 1280]) {
      await page.setViewport({ width, height: 900 });
      await expectAccessible(page, `${label} (${width} px)`);
      if (width === 390) await expectNoHorizontalOverflow(page, `${label} (390 px)`);
    }
  }

  it('in Russian: a new version of the audience segmentation, approved by the owner, flags the content concept; the owner confirms it still holds and the flag goes', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await engagement();
    const approve = async (typeId: string, tag: string) => {
      const version = await submitDocumentVersion(deps, cast.consultant.id, engagementId, typeId, await contentOf(typeId, tag));
      await approveDocument(deps, cast.owner.id, engagementId, version.document.id, version.contentHash);
    };
    await approve('audience-segmentation', 'segments');
    await approve('target-criteria', 'criteria');
    await approve('content-concept', 'concept');
    // The consultant brings a revised segmentation; the owner approves it on its page.
    await submitDocumentVersion(deps, cast.consultant.id, engagementId, 'audience-segmentation', await contentOf('audience-segmentation', 'segments revised'));
    const docs = await suite.db.orm.em.fork().find(ProjectDocument, { engagement: engagementId });
    const segmentation = docs.find((d) => d.typeId === 'audience-segmentation')!;
    const concept = docs.find((d) => d.typeId === 'content-concept')!;

    const owner = await person(cast.owner.email, 'ru');
    const base = `${suite.app.url}/engagements/${engagementId}`;
    await owner.goto(`${base}/documents/${concept.id}`);
    expect(await owner.$('.review-needed'), 'nothing to review before the new version is approved').to.equal(null);
    await owner.goto(`${base}/documents/${segmentation.id}`);
    await submit(owner, '/approve', /Утвердить версию 2/);

    await owner.goto(`${base}/documents/${concept.id}`);
    expect(await textOf(owner, '.review-needed')).to.contain('Нужен пересмотр: утверждена новая версия документа «Сегментация аудитории», на котором основан этот документ.');
    await checkLayout(owner, 'the document with its review flag');
    await owner.goto(base);
    expect(await textsOf(owner, '#gate .gate-body li')).to.include('«Контент-концепция» нужно пересмотреть: утверждена новая версия документа «Сегментация аудитории», на котором он основан');
    expect(await textOf(owner, '#documents .review-needed')).to.equal('Нужен пересмотр');

    await owner.goto(`${base}/documents/${concept.id}`);
    await Promise.all([owner.waitForNavigation(), owner.click('.review-needed a')]);
    expect(await textOf(owner, '#review h1')).to.equal('Нужен пересмотр: Контент-концепция');
    await owner.$eval('#review details', (d) => ((d as HTMLDetailsElement).open = true));
    await checkLayout(owner, 'the review, its hashes shown');
    await submit(owner, '/confirm', /Остаётся в силе/);
    expect(await textOf(owner, '.flash-notice')).to.contain('«Контент-концепция» подтверждён: он остаётся в силе.');

    await owner.goto(`${base}/documents/${concept.id}`);
    expect(await owner.$('.review-needed'), 'the document carries no flag any more').to.equal(null);
    await owner.goto(base);
    expect((await textsOf(owner, '#gate li')).some((l) => l.includes('пересмотреть')), 'nor the gate box').to.equal(false);
    expect(await owner.$('#documents .review-needed')).to.equal(null);
    const flag = await suite.db.orm.em.fork().findOneOrFail(ReviewFlag, { engagement: engagementId });
    expect(flag.status).to.equal('confirmed');
  });

  it('in English: the consultant follows the link to the newer version, reads the diff, moves the mid-Formatting engagement to e1t@2 and finds the new task on the page', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await engagement();
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);

    const consultant = await person(cast.consultant.email, 'en');
    await consultant.goto(`${suite.app.url}/engagements/${engagementId}`);
    expect(await textsOf(consultant, '#checklist tbody tr')).to.satisfy((rows: string[]) => !rows.some((r) => r.includes('Plan the first stories')));
    expect(await textOf(consultant, '#upgrade-link')).to.equal('New version: e1t@2');
    await Promise.all([consultant.waitForNavigation(), consultant.click('#upgrade-link')]);
    expect(new URL(consultant.url()).pathname).to.equal(`/engagements/${engagementId}/methodology`);
    const changes = await textsOf(consultant, '.upgrade-offer li');
    expect(changes).to.include.members(['added: fmt.stories', 'removed: launch.content', 'added: content-concept / storyFormats']);
    await checkLayout(consultant, 'the upgrade page');

    await submit(consultant, '/methodology/upgrade', /Move the engagement to e1t@2/);
    expect(new URL(consultant.url()).pathname).to.equal(`/engagements/${engagementId}`);
    expect(await textOf(consultant, '.flash-notice')).to.contain('The engagement moved from e1t@1 to e1t@2.');
    const rows = await textsOf(consultant, '#checklist tbody tr');
    expect(rows.some((r) => r.includes('Plan the first stories')), 'the new Formatting task is listed').to.equal(true);
    expect(await consultant.$('#upgrade-link'), 'nothing newer is on offer now').to.equal(null);
  });

  it('in both languages: /verify/<hash> names the approved version, who approved it and when', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await engagement();
    const version = await submitDocumentVersion(deps, cast.consultant.id, engagementId, 'audience-segmentation', await contentOf('audience-segmentation', 'segments'));
    await approveDocument(deps, cast.owner.id, engagementId, version.document.id, version.contentHash);

    const consultant = await person(cast.consultant.email, 'en');
    await consultant.goto(`${suite.app.url}/verify/${version.contentHash}`);
    expect(await textOf(consultant, '#verify .hash')).to.equal(version.contentHash);
    expect(await textOf(consultant, '.verified-version h2')).to.equal('“Audience segmentation”, version 1, in the engagement with Kolosok Bakery');
    expect(await textOf(consultant, '.verified-approval')).to.match(/^Approved by Owner, 2 Mar( 2026)?, 09:00 UTC$/);
    await checkLayout(consultant, 'the verification page');

    await submit(consultant, '/language', /Русский/);
    expect(await textOf(consultant, '.verified-version h2')).to.equal('«Сегментация аудитории», версия 1, проект с клиентом Kolosok Bakery');
    expect(await textOf(consultant, '.verified-approval')).to.match(/^Утвердил\(а\) Owner, 2 мар\.?( 2026( г\.)?)?,? 09:00 UTC$/);
  });
});
