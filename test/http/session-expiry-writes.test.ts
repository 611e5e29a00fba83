import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';

// A rolling session pushes its expiry on with every request; written to the database each time,
// that is one UPDATE per page view. It is written at most once per TOUCH_EVERY_MS instead.
describe('session expiry writes', () => {
  const suite = useWebApp();
  const sessionRows = async (userId: string) =>
    (await suite.db.orm.em.getConnection().execute(`select sess::text as sess, expire::text as expire from sessions where sess -> 'passport' ->> 'user' = ?`, [userId])) as { sess: string; expire: string }[];

  it('are not repeated on every page view', async () => {
    const owner = await suite.signedIn(suite.cast.owner);
    // The first page stores what a page adds to a session (its form token): a real save.
    expect((await owner.get('/')).status).to.equal(200);
    const [first] = await sessionRows(suite.cast.owner.id);
    expect(first, 'a session row after sign-in').to.not.equal(undefined);
    // The store keeps whole seconds: a second later, a rewrite would show.
    await new Promise((r) => setTimeout(r, 1_100));
    for (let i = 0; i < 3; i++) expect((await owner.get('/')).status).to.equal(200);
    const [afterViews] = await sessionRows(suite.cast.owner.id);
    expect(afterViews!.expire, 'expiry not rewritten by plain page views').to.equal(first!.expire);

  });
});
