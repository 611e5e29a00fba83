// SMTP_URL, read into the transport's options. Parsed here rather than handed to nodemailer as a
// string so that a wrong value stops the start with a sentence, and so that plain-text SMTP is
// never the silent default: smtp:// must upgrade with STARTTLS before it authenticates or sends.
export interface SmtpSettings {
  host: string;
  port: number;
  /** smtps:// — TLS from the first byte (usually port 465). */
  secure: boolean;
  /** smtp:// — the server must offer STARTTLS, or nothing is sent. */
  requireTLS: boolean;
  auth?: { user: string; pass: string };
}

export function parseSmtpUrl(raw: string): SmtpSettings | Error {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return new Error('not an address; write it as smtp://user:password@host:587 or smtps://user:password@host:465');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'smtp' && scheme !== 'smtps') return new Error(`must start with smtp:// (STARTTLS) or smtps:// (TLS), not ${scheme}://`);
  if (!url.hostname) return new Error('names no host');
  const secure = scheme === 'smtps';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  if (url.pathname.replace(/\//g, '') || url.search) return new Error('takes no path or options after the host and port');
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  if (Boolean(user) !== Boolean(pass)) return new Error('has a user without a password (or a password without a user)');
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, secure, requireTLS: !secure, ...(user ? { auth: { user, pass } } : {}) };
}
