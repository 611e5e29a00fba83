import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { useWebApp } from '../helpers/web.ts';
import { ApiClient, tokenFor } from '../helpers/api.ts';
import { ApiToken } from '../../src/api/api-token.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { setUserLocale } from '../../src/users/users.service.ts';

describe('personal access tokens for the REST API', function () {
  this.timeout(120_000);
  const suite = useWebApp();
  const api = (token: string | null) => new ApiClient(suite.app.url, token);
  const secretIn = (html: string) => /<code id="token-secret">(trk_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1] ?? null;
  const storedTokens = () => suite.db.orm.em.fork().find(ApiToken, {});

  it('is made on the account page, shown once, stored only as its SHA-256, and opens the API with its owner\'s rights', async () => {
    const consultant = await suite.signedIn(suite.cast.consultant);
    const page = await consultant.get('/account/tokens');
    expect(page.status).to.equal(200);
    const made = await consultant.post('/account/tokens', { name: 'reporting script', scope: 'read', expiresInDays: '30' });
    expect(made.status).to.equal(200);
    expect(made.headers.get('cache-control')).to.equal('no-store');
    const secret = secretIn(made.text);
    expect(secret, 'the page shows the new secret').to.be.a('string');

    const [stored] = await storedTokens();
    expect(stored!.tokenHash).to.equal(createHash('sha256').update(secret!).digest('hex'));
    expect(JSON.stringify(stored)).not.to.contain(secret!.slice(4));
    expect(stored!.expiresAt.toISOString()).to.equal(new Date(suite.app.deps.time.now.getTime() + 30 * 86_400_000).toISOString());

    const again = await consultant.get('/account/tokens');
    expect(secretIn(again.text), 'the secret is never shown again').to.equal(null);
    expect(again.text).to.contain('reporting script').and.to.contain(stored!.prefix);

    const list = await api(secret).get('/engagements');
    expect(list.status).to.equal(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).to.deep.equal([suite.engagementId]);
    // A session cookie is no key to the API: only the bearer token is.
    const withCookieOnly = await fetch(`${suite.app.url}/api/v1/engagements`, { headers: { cookie: `troika.sid=${consultant.sessionId()}` } });
    expect(withCookieOnly.status).to.equal(401);
    expect(withCookieOnly.headers.get('www-authenticate')).to.match(/^Bearer/);
  });

  it('refuses to make a token without a name, in the person\'s language, and makes nothing', async () => {
    await setUserLocale(suite.app.deps, suite.cast.consultant.id, 'ru');
    const consultant = await suite.signedIn(suite.cast.consultant);
    await consultant.get('/account/tokens');
    const refused = await consultant.post('/account/tokens', { name: ' ', scope: 'read', expiresInDays: '30' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Дайте токену название');
    expect(await storedTokens()).to.have.length(0);
  });

  it('with the read scope reads but cannot write: 403, and the task stays as it was; a read-write token writes', async () => {
    const reader = api(await tokenFor(suite.app.deps, suite.cast.consultant.id, 'read'));
    const writer = api(await tokenFor(suite.app.deps, suite.cast.consultant.id, 'read-write'));
    const tasks = await reader.get(`/engagements/${suite.engagementId}/tasks`);
    expect(tasks.status).to.equal(200);
    const task = tasks.body.items.find((t: { role: string; kind: string }) => t.role === 'staff' && t.kind === 'work');
    const body = { assigneeId: suite.cast.staff[0]!.id };

    const refused = await reader.post(`/engagements/${suite.engagementId}/tasks/${task.id}/assign`, body);
    expect(refused.status).to.equal(403);
    expect(refused.body.type).to.equal('urn:troika:problem:insufficient-scope');
    expect((await suite.db.orm.em.fork().findOneOrFail(Task, task.id, { populate: ['assignee'] })).assignee).to.equal(null);

    const done = await writer.post(`/engagements/${suite.engagementId}/tasks/${task.id}/assign`, body);
    expect(done.status).to.equal(200);
    expect(done.body.assigneeId).to.equal(suite.cast.staff[0]!.id);
  });

  it('stops working when revoked on the account page, and only its owner can revoke it', async () => {
    const secret = await tokenFor(suite.app.deps, suite.cast.consultant.id, 'read');
    expect((await api(secret).get('/engagements')).status).to.equal(200);
    const [token] = await storedTokens();

    const owner = await suite.signedIn(suite.cast.owner);
    await owner.get('/account/tokens');
    expect((await owner.post(`/account/tokens/${token!.id}/revoke`)).status, "another person's token is not found").to.equal(404);
    expect((await api(secret).get('/engagements')).status).to.equal(200);

    const consultant = await suite.signedIn(suite.cast.consultant);
    await consultant.get('/account/tokens');
    const revoked = await consultant.post(`/account/tokens/${token!.id}/revoke`);
    expect(revoked.status).to.equal(303);
    const page = await consultant.follow(revoked);
    expect(page.text).to.match(/class="token-status">revoked</);
    const refused = await api(secret).get('/engagements');
    expect(refused.status).to.equal(401);
    expect(refused.body.type).to.equal('urn:troika:problem:unauthorized');
  });

  it('expires at the end of its lifetime', async () => {
    const secret = await tokenFor(suite.app.deps, suite.cast.consultant.id, 'read', 7);
    suite.app.deps.time.advanceDays(6.9);
    expect((await api(secret).get('/engagements')).status).to.equal(200);
    suite.app.deps.time.advanceDays(0.2);
    const refused = await api(secret).get('/engagements');
    expect(refused.status).to.equal(401);
    expect(refused.body.detail).to.equal('The token is unknown, expired or revoked.');
  });

  it('notes when it was last used, at most once a minute, and the account page shows it', async () => {
    const secret = await tokenFor(suite.app.deps, suite.cast.consultant.id, 'read');
    const lastUsed = async () => (await storedTokens())[0]!.lastUsedAt?.toISOString() ?? null;
    expect(await lastUsed()).to.equal(null);
    const first = suite.app.deps.time.now.toISOString();
    await api(secret).get('/engagements');
    expect(await lastUsed()).to.equal(first);
    suite.app.deps.time.now = new Date(suite.app.deps.time.now.getTime() + 30_000);
    await api(secret).get('/engagements');
    expect(await lastUsed(), 'within the minute the first use stands').to.equal(first);
    suite.app.deps.time.now = new Date(suite.app.deps.time.now.getTime() + 60_000);
    await api(secret).get('/engagements');
    expect(await lastUsed()).to.equal(suite.app.deps.time.now.toISOString());

    const consultant = await suite.signedIn(suite.cast.consultant);
    const page = await consultant.get('/account/tokens');
    expect(/class="last-used">([^<]+)</.exec(page.text)?.[1]).to.contain('09:01');
  });
});
