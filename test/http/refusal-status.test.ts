import { expect } from 'chai';
import { contentOf } from '../helpers/content.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { Approval } from '../../src/documents/document.entity.ts';

describe('a refused command over HTTP', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let app: TestApp;
  let engagementId: string;
  let cast: Cast;

  beforeEach(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    ({ engagementId, cast } = await makeEngagement(app.deps));
    for (const person of [cast.consultant, cast.owner]) await setPassword(db, person.id);
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  it('answers 409 on the page it came from, keeps the comment typed, and writes nothing, when the version is stale', async () => {
    const first = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'content-concept', await contentOf('content-concept', 'draft'));
    const page = `/engagements/${engagementId}/documents/${first.document.id}`;
    const owner = new WebClient(app.url);
    await owner.signIn(cast.owner.email);
    await owner.get(page);
    // Meanwhile the consultant sends version 2: the owner's page still names version 1.
    await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'content-concept', { ...(await contentOf('content-concept', 'draft')), concept: 'A newer concept' });
    const refused = await owner.post(`${page}/request-changes`, { hash: first.contentHash, comment: 'Please add the weekday themes', __referer: page });
    expect(refused.status).to.equal(409);
    expect(refused.text).to.contain('flash-error');
    expect(refused.text).to.contain('Please add the weekday themes</textarea>');
    expect(await db.orm.em.fork().count(Approval, {})).to.equal(0);
  });

  it('answers 422 to a request for changes without a comment', async () => {
    const first = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'content-concept', await contentOf('content-concept', 'draft'));
    const page = `/engagements/${engagementId}/documents/${first.document.id}`;
    const owner = new WebClient(app.url);
    await owner.signIn(cast.owner.email);
    await owner.get(page);
    const refused = await owner.post(`${page}/request-changes`, { hash: first.contentHash, comment: '', __referer: page });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('flash-error');
    expect(await db.orm.em.fork().count(Approval, {})).to.equal(0);
  });
});
