// Strict headers: no scripts at all (the pages work without them), nothing loaded from elsewhere.
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * With secure cookies the site is served over HTTPS (behind a TLS front), so browsers are told to
 * use nothing else for a year (HSTS). Without them (plain HTTP on localhost, the default) the header
 * is left out: a browser that saw it would refuse to open the plain-HTTP site afterwards.
 */
export function securityHeaders(options: { secureCookies: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: options.secureCookies ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: false } : false,
  });
}
