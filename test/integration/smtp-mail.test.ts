// Mail over a real SMTP server: STARTTLS and a password, text and HTML in the recipient's language,
// and a durable outbox, so a server that is down, refuses TLS or refuses the password loses nothing.
import { expect } from 'chai';
import { mkdtempSync, readdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSmtpMailer, retryDelayMs, type SmtpMailer } from '../../src/mail/smtp-mailer.ts';
import { parseSmtpUrl, type SmtpSettings } from '../../src/mail/smtp-url.ts';
import { invitationMail, passwordResetMail } from '../../src/users/account-mail.ts';
import { loadConfig } from '../../src/config.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver.ts';
import { parseMail } from '../helpers/web.ts';
import { startAppProcess, waitReady, useDataDir } from '../helpers/app-process.ts';
import { freePort } from '../helpers/postgres.ts';

const USER = 'troika';
const PASS = 'p@ss word/1';

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('mail over SMTP', function () {
  this.timeout(60_000);
  let receiver: SmtpReceiver | undefined;
  let mailer: SmtpMailer | undefined;
  let outbox: string;
  let logs: string[];
  let now: number;

  const settings = (port: number): SmtpSettings => parseSmtpUrl(`smtp://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${port}`) as SmtpSettings;
  const open = (port: number, ca: string) => {
    mailer = createSmtpMailer({ settings: settings(port), from: 'Troika <troika@example.com>', outbox, ca, log: (l) => logs.push(l), clock: () => now, sweepEveryMs: 3_600_000 });
    return mailer;
  };
  const waiting = () => readdirSync(outbox).filter((f) => f.endsWith('.json'));

  beforeEach(() => {
    outbox = mkdtempSync(join(tmpdir(), 'troika-outbox-'));
    logs = [];
    now = Date.now();
  });
  afterEach(async () => {
    await mailer?.close();
    await receiver?.close();
    mailer = receiver = undefined;
    rmSync(outbox, { recursive: true, force: true });
  });

  it('delivers an invitation over STARTTLS with the password, in Russian, as text and HTML, the client name kept inside the subject', async () => {
    receiver = await startSmtpReceiver({ user: USER, pass: PASS });
    const clientName = 'Анна и Ко\r\nBcc: victim@example.com';
    await open(receiver.port, receiver.ca).send(invitationMail('ru', { to: 'new@example.com', inviter: 'Вера <b>', clientName, role: 'staff', link: 'http://troika.test/invitations/abc_def-123', days: 7 }));
    await until('the message to arrive', () => receiver!.received.length === 1);
    const got = receiver.received[0]!;
    expect(got.secure, 'the session was upgraded with STARTTLS').to.equal(true);
    expect(got.user, 'the session was authenticated').to.equal(USER);
    expect(got.to).to.deep.equal(['new@example.com']);
    expect(got.from).to.equal('troika@example.com');
    const mail = parseMail(got.raw);
    expect(mail.headers, 'no header was added by the client name').not.to.match(/^Bcc:/im);
    expect(mail.subject).to.contain('Анна и Ко').and.contain('Bcc: victim@example.com');
    expect(mail.headers).to.match(/^Content-Language: ru$/im);
    expect(mail.body).to.contain('приглашает вас').and.contain('http://troika.test/invitations/abc_def-123');
    expect(mail.html).to.contain('<html lang="ru">').and.contain('<a href="http://troika.test/invitations/abc_def-123">');
    expect(mail.html).to.contain('Анна и Ко');
    expect(mail.html, 'typed text is escaped in the HTML').to.contain('Вера &lt;b&gt;');
    expect(mail.html).not.to.contain('<b>');
    expect(waiting(), 'the outbox is empty once sent').to.deep.equal([]);
  });

  it('sends nothing to a server that does not offer STARTTLS, keeps the message, and delivers it once the server does', async () => {
    receiver = await startSmtpReceiver({ user: USER, pass: PASS, offerStartTls: false });
    const port = receiver.port;
    const m = open(port, receiver.ca);
    await m.send(passwordResetMail('en', { to: 'vera@example.com', link: 'http://troika.test/password/reset/xyz', hours: 2 }));
    await until('the refusal to be logged', () => logs.some((l) => l.includes('not sent')));
    expect(receiver.received, logs.join('\n')).to.have.length(0);
    expect(receiver.authFailures + receiver.received.length, 'no password was sent in the clear').to.equal(0);
    expect(waiting()).to.have.length(1);
    expect(logs.find((l) => l.includes('not sent'))).to.contain('vera@example.com').and.contain('attempt 1');

    await m.deliverDue();
    expect(receiver.received, 'not retried before its time').to.have.length(0);

    await receiver.close();
    receiver = await startSmtpReceiver({ user: USER, pass: PASS, port });
    now += retryDelayMs(1) + 1;
    // The new server has a new certificate: a mailer trusting it picks the same outbox up.
    await m.close();
    await open(port, receiver.ca).deliverDue();
    expect(receiver.received).to.have.length(1);
    expect(parseMail(receiver.received[0]!.raw).body).to.contain('http://troika.test/password/reset/xyz');
    expect(waiting()).to.deep.equal([]);
  });

  it('keeps the message when the password is wrong, and retries it with growing pauses', async () => {
    receiver = await startSmtpReceiver({ user: USER, pass: 'another password' });
    const m = open(receiver.port, receiver.ca);
    await m.send(passwordResetMail('en', { to: 'vera@example.com', link: 'http://troika.test/r', hours: 2 }));
    await until('the refusal to be logged', () => logs.some((l) => l.includes('not sent')));
    expect(receiver.authFailures).to.be.greaterThan(0);
    expect(waiting()).to.have.length(1);
    now += retryDelayMs(1) + 1;
    await m.deliverDue();
    expect(logs.filter((l) => l.includes('not sent')).at(-1)).to.contain('attempt 2');
    expect(retryDelayMs(2)).to.equal(2 * retryDelayMs(1));
    expect(retryDelayMs(50), 'at most an hour').to.equal(3_600_000);
  });

  it('sends a message again that a killed process was in the middle of sending, once its claim is 10 minutes old', async () => {
    receiver = await startSmtpReceiver({ user: USER, pass: PASS });
    const m = open(receiver.port, receiver.ca);
    await m.close(); // this mailer only queues: its sweeps are stopped
    const queuer = createSmtpMailer({ settings: settings(1), from: 'Troika <troika@example.com>', outbox, log: (l) => logs.push(l), clock: () => now, sweepEveryMs: 3_600_000 });
    await queuer.send(passwordResetMail('en', { to: 'vera@example.com', link: 'http://troika.test/k', hours: 2 }));
    await queuer.close();
    // As a killed process leaves it: claimed under its pid, never finished.
    const [name] = waiting();
    const claimed = join(outbox, `${name}.sending-999999`);
    renameSync(join(outbox, name!), claimed);
    utimesSync(claimed, new Date(now), new Date(now));
    const sender = open(receiver.port, receiver.ca);
    await sender.deliverDue();
    expect(receiver.received, 'a fresh claim is left alone').to.have.length(0);
    now += 10 * 60_000 + 1;
    await sender.deliverDue();
    expect(receiver.received).to.have.length(1);
    expect(readdirSync(outbox).filter((f) => f !== 'failed')).to.deep.equal([]);
  });

  it('refuses a server certificate it has no reason to trust', async () => {
    receiver = await startSmtpReceiver({ user: USER, pass: PASS });
    const other = await startSmtpReceiver({ user: USER, pass: PASS });
    try {
      await open(receiver.port, other.ca).send(passwordResetMail('en', { to: 'vera@example.com', link: 'http://troika.test/r', hours: 2 }));
      await until('the refusal to be logged', () => logs.some((l) => l.includes('not sent')));
      expect(receiver.received).to.have.length(0);
      expect(waiting()).to.have.length(1);
    } finally {
      await other.close();
    }
  });
});

describe('SMTP settings', () => {
  const config = (env: Record<string, string>) => () => loadConfig(env);

  it('reads smtp:// as STARTTLS required and smtps:// as TLS, with the password decoded', () => {
    expect(parseSmtpUrl('smtp://mailer:s%40cret@mail.example.com')).to.deep.equal({ host: 'mail.example.com', port: 587, secure: false, requireTLS: true, auth: { user: 'mailer', pass: 's@cret' } });
    expect(parseSmtpUrl('smtps://mail.example.com')).to.deep.equal({ host: 'mail.example.com', port: 465, secure: true, requireTLS: false });
  });

  it('stops the start with a sentence for a wrong SMTP_URL, TROIKA_MAIL_FROM or TROIKA_SMTP_CA_FILE', () => {
    expect(config({ SMTP_URL: 'http://mail.example.com' })).to.throw(/SMTP_URL: must start with smtp:\/\/ \(STARTTLS\) or smtps:\/\//);
    expect(config({ SMTP_URL: 'smtp://user@mail.example.com' })).to.throw(/SMTP_URL: has a user without a password/);
    expect(config({ SMTP_URL: 'mail.example.com' })).to.throw(/SMTP_URL: /);
    expect(config({ TROIKA_MAIL_FROM: 'Troika <a@b.c>\r\nBcc: x@y.z' })).to.throw(/TROIKA_MAIL_FROM: must be an address/);
    expect(config({ TROIKA_SMTP_CA_FILE: '/no/such/file.pem' })).to.throw(/TROIKA_SMTP_CA_FILE: cannot be read \(ENOENT\)/);
    expect(loadConfig({ SMTP_URL: 'smtp://a:b@127.0.0.1:2525', TROIKA_MAIL_FROM: 'Studio <studio@example.com>' })).to.include({ mailFrom: 'Studio <studio@example.com>' });
  });
});

describe('the app with SMTP_URL', function () {
  this.timeout(180_000);
  const data = useDataDir('troika-smtp-app-');

  it('sends a password-reset link over SMTP to a demo account, as users run it', async () => {
    const receiver = await startSmtpReceiver({ user: USER, pass: PASS });
    const port = await freePort();
    const app = startAppProcess({
      PORT: String(port),
      TROIKA_DATA_DIR: data.path,
      TROIKA_PG_PORT: String(await freePort()),
      TROIKA_DEMO_PASSWORD: 'demo-pass-123',
      SMTP_URL: `smtp://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${receiver.port}`,
      TROIKA_SMTP_CA_FILE: receiver.caFile,
      TROIKA_MAIL_FROM: 'Kolosok Studio <studio@example.com>',
      TROIKA_BASE_URL: 'https://troika.example.com',
    });
    try {
      await waitReady(port, app, 120);
      expect(app.output()).to.contain(`mail goes over SMTP to 127.0.0.1:${receiver.port} (STARTTLS required, as troika)`);
      const page = await fetch(`http://127.0.0.1:${port}/password/forgot`);
      const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const sent = await fetch(`http://127.0.0.1:${port}/password/forgot`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', referer: `http://127.0.0.1:${port}/password/forgot` },
        body: new URLSearchParams({ _csrf: csrf, email: 'owner@demo.troika' }),
      });
      expect(sent.status).to.equal(200);
      await until('the reset mail to arrive over SMTP', () => receiver.received.length === 1, 20_000);
      const got = receiver.received[0]!;
      expect(got).to.include({ secure: true, user: USER, from: 'studio@example.com' });
      expect(got.to).to.deep.equal(['owner@demo.troika']);
      expect(parseMail(got.raw).body).to.match(/https:\/\/troika\.example\.com\/password\/reset\/[\w-]{20,}/);
      expect(readdirSync(join(data.path, 'mail', 'outbox')).filter((f) => f.endsWith('.json'))).to.deep.equal([]);
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
      await receiver.close();
    }
  });
});
