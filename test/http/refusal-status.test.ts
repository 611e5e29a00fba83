import { expect } from 'chai';
import { contentOf } from '../helpers/content.ts';
import { useWebApp, WebClient } from '../helpers/web.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { Approval } from '../../src/documents/document.entity.ts';

describe('a refused command over HTTP', function () {
  this.timeout(60_000);
  const s = useWebApp();

  it('answers 409 on the page it came from, keeps the comment typed, and writes nothing, when the version is stale', async () => {
    const first = await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'draft'));
    const page = `/engagements/${s.engagementId}/documents/${first.document.id}`;
    const owner = new WebClient(s.app.url);
    await owner.signIn(s.cast.owner.email);
    await owner.get(page);
    // Meanwhile the consultant sends version 2: the owner's page still names version 1.
    await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', { ...(await contentOf('content-concept', 'draft')), concept: 'A newer concept' });
    const refused = await owner.post(`${page}/request-changes`, { hash: first.contentHash, comment: 'Please add the weekday themes', __referer: page });
    expect(refused.status).to.equal(409);
    expect(refused.text).to.contain('flash-error');
    expect(refused.text).to.contain('Please add the weekday themes</textarea>');
    expect(await s.db.orm.em.fork().count(Approval, {})).to.equal(0);
  });

  it('answers 422 to a request for changes without a comment', async () => {
    const first = await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'draft'));
    const page = `/engagements/${s.engagementId}/documents/${first.document.id}`;
    const owner = new WebClient(s.app.url);
    await owner.signIn(s.cast.owner.email);
    await owner.get(page);
    const refused = await owner.post(`${page}/request-changes`, { hash: first.contentHash, comment: '', __referer: page });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('flash-error');
    expect(await s.db.orm.em.fork().count(Approval, {})).to.equal(0);
  });
});
