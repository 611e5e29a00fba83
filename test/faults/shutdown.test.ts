import { expect } from 'chai';
import { freePort } from '../helpers/postgres.ts';
import { startAppProcess, waitReady, useDataDir } from '../helpers/app-process.ts';

type Outcome = { status: number } | { error: string };

async function request(url: string): Promise<Outcome> {
  try {
    const res = await fetch(url);
    await res.text();
    return { status: res.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).message };
  }
}

describe('a graceful shutdown', function () {
  this.timeout(120_000);
  const data = useDataDir('troika-stop-');

  it('says it is not ready while it drains, so a load balancer stops sending', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const app = startAppProcess({ PORT: String(port), TROIKA_PG_PORT: String(pgPort), TROIKA_DATA_DIR: data.path, TROIKA_DEMO_PASSWORD: 'demo-pass-123' });
    await waitReady(port, app);
    app.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).to.equal(503);
    expect(res.headers.get('connection')).to.equal('close');
    expect(await app.exited).to.equal(0);
  });

  it('answers every request already in flight when SIGTERM comes during a burst, then exits 0 without a stack trace', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const app = startAppProcess({ PORT: String(port), TROIKA_PG_PORT: String(pgPort), TROIKA_DATA_DIR: data.path, TROIKA_DEMO_PASSWORD: 'demo-pass-123' });
    await waitReady(port, app);

    // The sign-in page writes a session (a database round trip): requests that take a little while.
    const base = `http://127.0.0.1:${port}`;
    let answered = 0;
    const burst = Array.from({ length: 60 }, () =>
      request(`${base}/login`).then((o) => {
        if ('status' in o) answered++;
        return o;
      }),
    );
    while (answered === 0) await new Promise((r) => setTimeout(r, 2));
    app.child.kill('SIGTERM');
    const outcomes = await Promise.all(burst);
    const code = await app.exited;

    const serverErrors = outcomes.filter((o) => 'status' in o && o.status >= 500);
    const lost = outcomes.filter((o) => 'error' in o);
    expect(serverErrors, 'no request in flight gets a server error').to.deep.equal([]);
    expect(lost, 'no accepted request loses its connection').to.deep.equal([]);
    expect(code).to.equal(0);
    expect(app.output()).not.to.match(/\n\s+at /);
    expect(app.output()).to.contain('stopped');
    expect(outcomes.every((o) => 'status' in o && o.status === 200)).to.equal(true);
  });
});
