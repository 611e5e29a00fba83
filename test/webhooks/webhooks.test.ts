// Webhooks as a receiver meets them: signed POSTs from the job queue, retried after 500s until one
// succeeds, a loopback target refused at subscribe and at delivery time when private targets are not
// allowed, and the pages only the right people reach.
import { expect } from 'chai';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { useWebApp } from '../helpers/web.ts';
import { makeEngagement, makeUser } from '../helpers/factories.ts';
import { startJobRunner, type JobRunner } from '../../src/jobs/job-runner.ts';
import { listSubscriptions, subscribeEngagement, subscribeFirm } from '../../src/webhooks/subscriptions.service.ts';
import { pauseEngagement } from '../../src/engagement/engagement.service.ts';
import { setPassword, WebClient } from '../helpers/web.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver written from the README alone: it checks each signature and answers with the next planned status. */
async function startReceiver(statuses: number[]): Promise<{ url: string; received: Received[]; connections: () => number; close(): Promise<void> }> {
  const received: Received[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.statusCode = statuses[received.length - 1] ?? 200;
      res.end('ok');
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`,
    received,
    connections: () => connections,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function signatureIsValid(secret: string, r: Received): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${r.headers['x-troika-timestamp']}.${r.body}`).digest('hex')}`);
  const given = Buffer.from(String(r.headers['x-troika-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until<T>(what: string, read: () => Promise<T>, isDone: (value: T) => boolean, ms = 45_000): Promise<T> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)}`);
  }
}

describe('webhooks', function () {
  this.timeout(90_000);
  let runner: JobRunner | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  // Before useWebApp's own: the queue stops before its database is dropped.
  afterEach(async () => {
    await runner?.stop();
    await receiver?.close();
    runner = receiver = undefined;
  });
  const web = useWebApp();

  const startRunner = async (allowPrivate: boolean) => {
    runner = await startJobRunner({
      url: web.db.url, orm: web.db.orm, log: () => {}, pollingIntervalSeconds: 0.5,
      webhooks: { allowPrivate, timeoutMs: 10_000, retryLimit: 4, retryDelaySeconds: 1, dispatchEveryMs: 200 },
    });
  };
  const deliveriesOf = async (subscriptionId: string) =>
    (await listSubscriptions(web.app.deps, web.cast.consultant.id, web.engagementId)).find((s) => s.subscription.id === subscriptionId)!.deliveries;

  it('signs each delivery and retries it after 500 answers until the receiver takes it, and logs it on the page', async () => {
    receiver = await startReceiver([500, 500, 200]);
    const allowed = { ...web.app.deps, webhooks: { allowPrivate: true } };
    const { id, secret } = await subscribeEngagement(allowed, web.cast.consultant.id, web.engagementId, { targetUrl: receiver.url, eventTypes: ['engagement.pause'] });
    await pauseEngagement(web.app.deps, web.cast.consultant.id, web.engagementId, 'Holidays');
    await startRunner(true);
    const [delivery] = await until('the delivery', () => deliveriesOf(id), (d) => d[0]?.status === 'delivered');

    const r = receiver.received;
    expect(r, 'two 500s, then the 200').to.have.length(3);
    for (const one of r) {
      expect(signatureIsValid(secret, one), 'signature').to.equal(true);
      expect(one.headers['x-troika-event']).to.equal('engagement.pause');
      expect(one.headers['x-troika-delivery']).to.equal(delivery!.id);
      expect(one.headers['content-type']).to.equal('application/json');
      expect(Math.abs(Number(one.headers['x-troika-timestamp']) * 1000 - one.at)).to.be.below(5_000);
    }
    expect(signatureIsValid('whsec_not-the-secret', r[0]!), 'a wrong secret must not verify').to.equal(false);
    const body = JSON.parse(r[2]!.body);
    expect(Object.keys(body)).to.deep.equal(['id', 'type', 'engagementId', 'seq', 'at', 'payload']);
    expect(body).to.include({ id: delivery!.id, type: 'engagement.pause', engagementId: web.engagementId });
    expect(body.seq).to.be.a('number');
    // pg-boss's backoff: retryDelay × 2^(n-1) up to twice that, so at least 1 s, then at least 2 s.
    expect(r[1]!.at - r[0]!.at, 'the first pause').to.be.at.least(950);
    expect(r[2]!.at - r[1]!.at, 'the second pause, doubled').to.be.at.least(1_950);
    expect(delivery).to.include({ attempts: 3, responseCode: 200, eventType: 'engagement.pause' });
    expect(delivery!.responseMs).to.be.a('number');

    const consultant = await web.signedIn(web.cast.consultant);
    const page = await consultant.get(`/engagements/${web.engagementId}/webhooks`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include(receiver.url).and.include('engagement.pause').and.include('delivered');
    expect(page.text, 'the secret is shown once only').not.to.include(secret);
  });

  it('refuses a target on 127.0.0.1 at subscribe time and at delivery time unless private targets are allowed', async () => {
    receiver = await startReceiver([]);
    const consultant = await web.signedIn(web.cast.consultant);
    await consultant.get(`/engagements/${web.engagementId}/webhooks`);
    for (const targetUrl of [receiver.url, receiver.url.replace('http:', 'https:')]) {
      const refused = await consultant.post(`/engagements/${web.engagementId}/webhooks`, { intent: 'create', targetUrl });
      expect(refused.status, targetUrl).to.equal(422);
      expect(refused.text).to.match(/must start with https:\/\/|loopback/);
    }
    await consultant.post('/language', { locale: 'ru', back: '/' });
    await consultant.get(`/engagements/${web.engagementId}/webhooks`);
    const inRussian = await consultant.post(`/engagements/${web.engagementId}/webhooks`, { intent: 'create', targetUrl: receiver.url.replace('http:', 'https:') });
    expect(inRussian.status).to.equal(422);
    expect(inRussian.text).to.include('Адрес ведёт на локальный адрес этой машины');
    expect(await listSubscriptions(web.app.deps, web.cast.consultant.id, web.engagementId), 'nothing saved').to.deep.equal([]);

    // Made while allowed, delivered by a process where it is not: refused before any connection.
    const { id } = await subscribeEngagement({ ...web.app.deps, webhooks: { allowPrivate: true } }, web.cast.consultant.id, web.engagementId, { targetUrl: receiver.url.replace('http:', 'https:'), eventTypes: [] });
    await pauseEngagement(web.app.deps, web.cast.consultant.id, web.engagementId);
    await startRunner(false);
    const deliveries = await until('refused deliveries', () => deliveriesOf(id), (d) => d.length === 2 && d.every((x) => x.status === 'refused'));
    expect(deliveries.map((d) => d.eventType).sort()).to.deep.equal(['engagement.pause', 'webhook.subscribe']);
    expect(deliveries[0]!.error).to.match(/loopback/);
    expect(receiver.connections(), 'no connection reached the receiver').to.equal(0);
  });

  it('does not follow a redirect: it is logged as a failure and its target is never contacted', async () => {
    const elsewhere = await startReceiver([]);
    try {
      receiver = await startReceiver([]);
      const redirecting = createServer((_req, res) => res.writeHead(307, { Location: elsewhere.url }).end());
      await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
      const port = (redirecting.address() as { port: number }).port;
      const { id } = await subscribeEngagement({ ...web.app.deps, webhooks: { allowPrivate: true } }, web.cast.consultant.id, web.engagementId, { targetUrl: `http://127.0.0.1:${port}/`, eventTypes: ['engagement.pause'] });
      await pauseEngagement(web.app.deps, web.cast.consultant.id, web.engagementId);
      await startRunner(true);
      const [delivery] = await until('the first attempt', () => deliveriesOf(id), (d) => (d[0]?.attempts ?? 0) >= 1);
      expect(delivery).to.include({ status: 'retrying', responseCode: 307, error: 'redirect not followed' });
      expect(elsewhere.connections(), 'the redirect target').to.equal(0);
      redirecting.closeAllConnections();
      redirecting.close();
    } finally {
      await elsewhere.close();
    }
  });

  it("sends a firm-wide webhook every engagement's events of its kinds, and no others", async () => {
    receiver = await startReceiver([]);
    const admin = await makeUser(web.db.orm, 'Admin', 'admin');
    const { secret } = await subscribeFirm({ ...web.app.deps, webhooks: { allowPrivate: true } }, admin.id, { targetUrl: receiver.url, eventTypes: ['engagement.pause'] });
    const other = await makeEngagement(web.app.deps);
    await pauseEngagement(web.app.deps, web.cast.consultant.id, web.engagementId);
    await pauseEngagement(web.app.deps, other.cast.consultant.id, other.engagementId);
    await startRunner(true);
    await until('two deliveries', async () => receiver!.received.length, (n) => n >= 2);
    await runner!.dispatchWebhooks();
    await new Promise((r) => setTimeout(r, 1_500)); // time for any wrongly matched delivery to arrive
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { type: string; engagementId: string });
    expect(bodies.map((b) => b.type)).to.deep.equal(['engagement.pause', 'engagement.pause']);
    expect(bodies.map((b) => b.engagementId).sort()).to.deep.equal([web.engagementId, other.engagementId].sort());
    expect(receiver.received.every((r) => signatureIsValid(secret, r))).to.equal(true);
  });

  it('lets only firm administrators make firm-wide webhooks, and shows the secret once', async () => {
    const consultant = await web.signedIn(web.cast.consultant);
    await consultant.get(`/engagements/${web.engagementId}/webhooks`);
    expect((await consultant.get('/firm/webhooks')).status).to.equal(403);
    expect((await consultant.post('/firm/webhooks', { intent: 'create', targetUrl: 'https://93.184.216.34/hooks' })).status).to.equal(403);
    expect(await web.db.orm.em.fork().getConnection().execute('select count(*)::int as n from webhook_subscriptions')).to.deep.equal([{ n: 0 }]);

    const admin = await makeUser(web.db.orm, 'Admin', 'admin');
    await setPassword(web.db, admin.id);
    const client = new WebClient(web.app.url);
    await client.signIn(admin.email);
    await client.get('/firm/webhooks');
    const made = await client.post('/firm/webhooks', { intent: 'create', targetUrl: 'https://93.184.216.34/hooks', eventTypes: ['task.complete', 'stage.advance'] });
    expect(made.status).to.equal(200);
    const secret = /<code class="wrap-anywhere">(whsec_[\w-]+)<\/code>/.exec(made.text)?.[1];
    expect(secret, 'the secret in the answer').to.be.a('string');
    const again = await client.get('/firm/webhooks');
    expect(again.text).to.include('https://93.184.216.34/hooks').and.include('task.complete, stage.advance');
    expect(again.text).not.to.include(secret!);
    const bad = await client.post('/firm/webhooks', { intent: 'create', targetUrl: 'https://93.184.216.34/', eventTypes: ['no.such'] });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('choose event kinds from the list');
  });

  it("answers 404 for another engagement's webhooks, and refuses the engagement's own staff", async () => {
    const other = await makeEngagement(web.app.deps);
    const { id } = await subscribeEngagement({ ...web.app.deps, webhooks: { allowPrivate: true } }, other.cast.consultant.id, other.engagementId, { targetUrl: 'http://127.0.0.1:9/x', eventTypes: [] });
    const consultant = await web.signedIn(web.cast.consultant);
    expect((await consultant.get(`/engagements/${other.engagementId}/webhooks`)).status).to.equal(404);
    await consultant.get(`/engagements/${web.engagementId}/webhooks`);
    expect((await consultant.post(`/engagements/${other.engagementId}/webhooks`, { intent: 'remove', subscriptionId: id })).status).to.equal(404);
    expect((await consultant.post(`/engagements/${web.engagementId}/webhooks`, { intent: 'remove', subscriptionId: id })).status, "removing the other's from my own").to.equal(404);
    expect((await listSubscriptions(web.app.deps, other.cast.consultant.id, other.engagementId)).map((s) => s.subscription.id)).to.deep.equal([id]);
    const staff = await web.signedIn(web.cast.staff[0]!);
    expect((await staff.get(`/engagements/${web.engagementId}/webhooks`)).status, 'staff of the engagement').to.equal(403);
  });
});
