import { expect } from 'chai';
import { useWebApp, setPassword } from '../helpers/web.ts';
import { makeUser } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { pauseEngagement, resumeEngagement } from '../../src/engagement/engagement.service.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';

/** The events the page lists, newest first: their numbers and their text. */
const eventsOf = (html: string) => [...html.matchAll(/<li id="event-(\d+)" data-seq="\d+">([\s\S]*?)<\/li>/g)].map((m) => ({ seq: Number(m[1]), text: m[2]!.replace(/<[^>]+>/g, '') }));
const link = (html: string, rel: 'next' | 'prev') => new RegExp(`rel="${rel}" href="([^"]+)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

describe('the event log page: newest first, a page at a time, by kind and by person', function () {
  this.timeout(120_000);
  const suite = useWebApp();
  const path = () => `/engagements/${suite.engagementId}/events`;

  let total = 0;
  const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from - i);

  // The set-up's events (create, three people added, start), 60 from 20 pauses with a note and resumes, then a submission and the owner's approval.
  beforeEach(async () => {
    const deps = suite.app.deps;
    for (let i = 0; i < 20; i++) {
      await pauseEngagement(deps, suite.cast.consultant.id, suite.engagementId, `pause ${i}`);
      await resumeEngagement(deps, suite.cast.consultant.id, suite.engagementId);
    }
    const version = await submitDocumentVersion(deps, suite.cast.consultant.id, suite.engagementId, 'target-criteria', await contentOf('target-criteria'));
    await approveDocument(deps, suite.cast.owner.id, suite.engagementId, version.document.id, version.contentHash);
    total = await suite.db.orm.em.fork().count(EngagementEvent, { engagement: suite.engagementId });
    expect(total).to.be.greaterThan(65);
  });

  it('shows the 50 newest events, then the older ones, and back, each page at its own address', async () => {
    const consultant = await suite.signedIn(suite.cast.consultant);
    const first = await consultant.get(path());
    expect(first.status).to.equal(200);
    const newest = eventsOf(first.text);
    expect(newest.map((e) => e.seq)).to.deep.equal(range(total, 50));
    expect(newest[0]!.text).to.contain('Owner · approved a document');
    expect(first.text).to.contain(`${total} events`);
    expect(link(first.text, 'prev')).to.equal(null);
    expect(link(first.text, 'next')).to.equal(`${path()}?before=${total - 49}`);
    const older = await consultant.get(link(first.text, 'next')!);
    expect(eventsOf(older.text).map((e) => e.seq)).to.deep.equal(range(total - 50, total - 50));
    expect(eventsOf(older.text).at(-1)!.text).to.contain('created the engagement');
    expect(link(older.text, 'next')).to.equal(null);
    expect(link(older.text, 'prev')).to.equal(`${path()}?after=${total - 50}`);
    const back = await consultant.get(link(older.text, 'prev')!);
    expect(eventsOf(back.text).map((e) => e.seq)).to.deep.equal(newest.map((e) => e.seq));
  });

  it('filters by kind and by person, keeping the filter on every page, and names the states as the engagement page does', async () => {
    const consultant = await suite.signedIn(suite.cast.consultant);
    const pauses = await consultant.get(`${path()}?kind=engagement.pause`);
    expect(eventsOf(pauses.text)).to.have.length(20);
    expect(eventsOf(pauses.text)[0]!.text).to.contain('Consultant · paused the engagement (Preparation → Paused)');
    expect(pauses.text).to.contain('<option value="engagement.pause" selected>');
    const byOwner = await consultant.get(`${path()}?person=${suite.cast.owner.id}`);
    expect(eventsOf(byOwner.text).map((e) => e.seq)).to.deep.equal([total]);
    const notes = await consultant.get(`${path()}?kind=engagement.note&person=${suite.cast.consultant.id}`);
    expect(eventsOf(notes.text)).to.have.length(20);
    const byConsultant = await consultant.get(`${path()}?person=${suite.cast.consultant.id}`);
    expect(byConsultant.text).to.contain(`${total - 1} events`);
    expect(eventsOf(byConsultant.text)[0]!.seq).to.equal(total - 1);
    expect(link(byConsultant.text, 'next')).to.equal(`${path()}?person=${suite.cast.consultant.id}&before=${total - 50}`);
    const rest = await consultant.get(link(byConsultant.text, 'next')!);
    expect(eventsOf(rest.text).map((e) => e.seq)).to.deep.equal(range(total - 51, total - 51));
    const none = await consultant.get(`${path()}?kind=stage.advance`);
    expect(none.status).to.equal(200);
    expect(none.text).to.contain('No event matches these filters.');
  });

  it('speaks Russian to a Russian reader, states included', async () => {
    const owner = await suite.signedIn(suite.cast.owner);
    await owner.get('/');
    await owner.post('/language', { locale: 'ru' });
    const page = await owner.get(`${path()}?kind=engagement.pause`);
    expect(page.status).to.equal(200);
    expect(eventsOf(page.text)[0]!.text).to.contain('приостановка проекта (Подготовка → Приостановлен)');
    expect(page.text).to.contain('20 событий');
  });

  it('is not found for an outsider or an engagement that does not exist, and refused to staff, as the engagement page’s log is', async () => {
    const outsider = await makeUser(suite.db.orm, 'Nosy Consultant', 'consultant');
    await setPassword(suite.db, outsider.id);
    const nosy = await suite.signedIn(outsider);
    expect((await nosy.get(path())).status).to.equal(404);
    expect((await nosy.get(`${path()}?kind=bogus`)).status, 'an outsider learns nothing from the filters either').to.equal(404);
    expect((await nosy.get('/engagements/00000000-0000-4000-8000-000000000000/events')).status).to.equal(404);
    expect((await nosy.get('/engagements/not-an-id/events')).status).to.equal(404);
    const staff = await suite.signedIn(suite.cast.staff[0]!);
    expect((await staff.get(path())).status).to.equal(403);
  });

  it('answers filters it cannot use with a 400 page naming each one', async () => {
    const consultant = await suite.signedIn(suite.cast.consultant);
    const outsider = await makeUser(suite.db.orm, 'Stranger');
    for (const query of ['kind=bogus', 'kind=engagement.explode', 'person=someone', `person=${outsider.id}`, 'before=0', 'after=x', 'kind=a.b&kind=c.d']) {
      const page = await consultant.get(`${path()}?${query}`);
      expect(page.status, query).to.equal(400);
      expect(page.text, query).to.contain('This list address cannot be read');
      expect(page.text, query).to.contain(`href="${path()}">Open the list without filters`);
    }
    const stranger = await consultant.get(`${path()}?person=${outsider.id}`);
    expect(stranger.text).to.contain(`person (person) “${outsider.id}” is nobody in this engagement.`);
  });
});
