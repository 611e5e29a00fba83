import { expect } from 'chai';
import { join } from 'node:path';
import { freePort } from '../helpers/postgres.ts';
import { BROKEN_DIR } from '../helpers/factories.ts';
import { startAppProcess as startApp, waitReady, useDataDir } from '../helpers/app-process.ts';

describe('starting the app', function () {
  this.timeout(120_000);
  const data = useDataDir('troika-start-');

  it('refuses to start on a broken methodology and names the file and the path', async () => {
    const app = startApp({ TROIKA_METHODOLOGY_DIR: BROKEN_DIR, TROIKA_DATA_DIR: data.path });
    expect(await app.exited).to.equal(1);
    expect(app.output()).to.contain(join('e1t-broken', 'methodology.yaml'));
    expect(app.output()).to.contain('stages[0].tasks[1].title.ru');
  });

  it('starts on its embedded PostgreSQL, prints the demo logins, and starts again after being killed', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), TROIKA_PG_PORT: String(pgPort), TROIKA_DATA_DIR: data.path, TROIKA_DEMO_PASSWORD: 'demo-pass-123' };
    const first = startApp(env);
    await waitReady(port, first);
    expect(first.output()).to.match(/owner@demo\.troika\s+password: demo-pass-123/);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).to.deep.equal({ status: 'ok' });
    first.child.kill('SIGKILL');
    await first.exited;

    // The killed run left postgres and its pid file behind; the next start must cope.
    const second = startApp(env);
    await waitReady(port, second);
    expect(second.output()).not.to.contain('Seeded the demo workspace');
    second.child.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
  });

  it('refuses a second start on the same data folder instead of stopping the database of the first', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), TROIKA_PG_PORT: String(pgPort), TROIKA_DATA_DIR: data.path, TROIKA_DEMO_PASSWORD: 'demo-pass-123' };
    const first = startApp(env);
    await waitReady(port, first);
    const second = startApp({ ...env, PORT: String(await freePort()) });
    expect(await second.exited).to.equal(1);
    expect(second.output()).to.match(/already running on this data folder \(process \d+\)/);
    expect(second.output()).not.to.match(/\n\s+at /);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 'the first still has its database').to.equal(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).to.equal(0);
  });

  it('says clearly when DATABASE_URL points at no server', async () => {
    const app = startApp({ DATABASE_URL: `postgres://x:y@127.0.0.1:${await freePort()}/none`, TROIKA_DATA_DIR: data.path });
    expect(await app.exited).to.equal(1);
    expect(app.output()).to.match(/Cannot reach PostgreSQL at postgres:\/\/x:\*\*\*@127\.0\.0\.1/);
  });
});
