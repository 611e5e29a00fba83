// A real SMTP server inside the test run (smtp-server, by nodemailer's authors), with STARTTLS on
// a certificate made for the run and password authentication, that keeps what it receives.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  user: string | undefined;
  secure: boolean;
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  /** The certificate the server shows, to be trusted as TROIKA_SMTP_CA_FILE. */
  caFile: string;
  ca: string;
  received: Received[];
  authFailures: number;
  /** Sessions held at RCPT TO and never answered (holdFirstRecipients). */
  held: number;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid for a day. */
function makeCertificate(folder: string): { key: string; cert: string; certFile: string } {
  const key = join(folder, 'key.pem');
  const cert = join(folder, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), certFile: cert };
}

export async function startSmtpReceiver(options: { user?: string; pass?: string; port?: number; offerStartTls?: boolean; rejectData?: boolean; holdFirstRecipients?: number } = {}): Promise<SmtpReceiver> {
  const folder = mkdtempSync(join(tmpdir(), 'troika-smtp-'));
  const { key, cert, certFile } = makeCertificate(folder);
  const received: Received[] = [];
  const receiver = { authFailures: 0, held: 0 };
  const serverOptions: SMTPServerOptions = {
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !options.user,
    // Without STARTTLS the server would even take the password in the clear: the mailer must not offer it.
    allowInsecureAuth: options.offerStartTls === false,
    disabledCommands: [...(options.user ? [] : ['AUTH']), ...(options.offerStartTls === false ? ['STARTTLS'] : [])],
    logger: false,
    onAuth(auth, _session, done) {
      if (auth.username === options.user && auth.password === options.pass) return done(null, { user: auth.username });
      receiver.authFailures++;
      done(new Error('Invalid username or password'));
    },
    // A server that takes the message's first recipients and never answers: the sender is stuck mid-send.
    onRcptTo(_address, _session, done) {
      if (receiver.held < (options.holdFirstRecipients ?? 0)) {
        receiver.held++;
        return;
      }
      done();
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (options.rejectData) return done(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
        received.push({
          user: session.user as string | undefined,
          secure: session.secure,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    caFile: certFile,
    ca: cert,
    received,
    get authFailures() {
      return receiver.authFailures;
    },
    get held() {
      return receiver.held;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
