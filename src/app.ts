// Express wiring only: no listen, no globals; every dependency comes in.
import { countUnreadForTopBar, notificationRoutes } from './web/routes/notifications.routes.ts';
import express, { type Express } from 'express';
import { fileURLToPath } from 'node:url';
import { csrfSync } from 'csrf-sync';
import type { WebDeps } from './web/web-deps.ts';
import { securityHeaders } from './web/security.ts';
import { readMultipartForms } from './web/form-upload.ts';
import { endOldSessions, saveSessionBeforeRedirect, type SessionStore } from './web/session.ts';
import type { TrustProxy } from './config.ts';
import type { PdfDeps } from './pdf/pdf.service.ts';
import { configurePassport } from './web/auth.ts';
import { pageContext, requireSignIn } from './web/context.ts';
import { cachePages } from './web/page-cache.ts';
import { createErrorPages } from './web/errors.ts';
import { refuseNulCharacters } from './web/forms.ts';
import { authRoutes } from './web/routes/auth.routes.ts';
import { homeRoutes, countWaitingForTopBar } from './web/routes/home.routes.ts';
import { engagementRoutes } from './web/routes/engagements.routes.ts';
import { documentRoutes } from './web/routes/documents.routes.ts';
import { documentationReviewRoutes } from './web/routes/documentation-review.routes.ts';
import { trainingRoutes } from './web/routes/training.routes.ts';
import { eventRoutes } from './web/routes/events.routes.ts';
import { firmRoutes } from './web/routes/firm.routes.ts';
import { taskRoutes } from './web/routes/tasks.routes.ts';
import { contentRoutes } from './web/routes/content.routes.ts';
import { calendarFeedRoutes, calendarFeedPageRoutes } from './web/routes/calendar-feed.routes.ts';
import { commentRoutes } from './web/routes/comments.routes.ts';
import { peopleRoutes } from './web/routes/people.routes.ts';
import { apiRoutes } from './api/api.router.ts';
import { apiTokenPageRoutes } from './web/routes/api.routes.ts';
import { deskRoutes } from './web/routes/desk.routes.ts';
import { reminderRoutes, unsubscribeRoutes } from './web/routes/reminders.routes.ts';
import { livingRoutes } from './web/routes/living.routes.ts';
import { portfolioRoutes } from './web/routes/portfolio.routes.ts';
import { kpiRoutes } from './web/routes/kpi.routes.ts';
import { webhookRoutes } from './web/routes/webhooks.routes.ts';
import type { TargetRules } from './webhooks/address-guard.ts';

export interface AppDeps extends WebDeps, PdfDeps {
  sessions: SessionStore;
  /** Served over HTTPS behind a TLS front: HSTS is sent (the session cookie's Secure flag is the store's). */
  secureCookies?: boolean;
  /** The proxies whose X-Forwarded-For and -Proto are believed; none by default. */
  trustProxy?: TrustProxy;
  /** Which webhook targets may be subscribed to (src/webhooks); by default only public https ones. */
  webhooks?: TargetRules;
}

const VIEWS = fileURLToPath(new URL('../views', import.meta.url));

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('views', VIEWS);
  app.set('view engine', 'ejs');
  // Templates are compiled once, whatever NODE_ENV says: Express caches only in production by default,
  // and a page compiled on every request costs more than everything else it does.
  app.set('view cache', true);
  // Every page carries fresh one-time form keys, so no two answers are alike and an ETag would never
  // match: hashing each answer for one is work for nothing. Assets keep theirs (express.static).
  app.set('etag', false);
  // Only a configured proxy may name the client's address: otherwise anyone could pick theirs per request.
  app.set('trust proxy', deps.trustProxy ?? false);

  // Liveness: the process answers. Readiness: the database answers too.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // A probe every second during an outage must not write a line every second: only changes are logged.
  let wasReady = true;
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.orm.em.getConnection().execute('select 1');
      if (!wasReady) deps.log('readyz: the database answers again');
      wasReady = true;
      res.json({ status: 'ready', database: 'reachable' });
    } catch (error) {
      if (wasReady) deps.log(`readyz: the database does not answer (${(error as Error).message.split('\n')[0]})`);
      wasReady = false;
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  app.use(securityHeaders({ secureCookies: deps.secureCookies ?? false }));
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  const pages = createErrorPages(deps.log, (req) => csrf.generateToken(req), (req, res) => app(req, res));
  // A missing asset is a 404 page from the error handler (fallthrough: false), not a trip through sessions.
  app.use('/assets', express.static(`${VIEWS}/assets`, { maxAge: '1h', fallthrough: false }));
  // The REST API answers before sessions, forms and CSRF: a bearer token is its only key (src/api).
  app.use('/api/v1', apiRoutes(deps));
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 1000 }));
  // The one form that sends a file: KPI actuals as a CSV file (its own limit is MAX_CSV_FILE_BYTES).
  app.use(readMultipartForms([{ path: /^\/engagements\/[^/]+\/kpis\/import$/, limit: 1024 * 1024 }]));
  app.use(refuseNulCharacters);
  // express-session saves (or touches) the session as the answer ends and hands a failure to the
  // request's next(), by then past every route and error page: catch it here, where it is still ours.
  app.use((req, res, next) => deps.sessions.middleware(req, res, (error?: unknown) => (error && res.headersSent ? pages.reportAfterAnswer(error, req, res) : next(error))));
  app.use(saveSessionBeforeRedirect);
  const passport = configurePassport(deps.orm, deps.changes);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(pages.noteDatabaseAnswered);
  app.use(endOldSessions(deps.clock));

  const csrf = csrfSync({ getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf });
  // One-click unsubscribe from an e-mail (RFC 8058) carries no CSRF token: its signed address is the proof.
  app.use(unsubscribeRoutes(deps));
  app.use(csrf.csrfSynchronisedProtection);
  app.use(pageContext((req) => csrf.generateToken(req)));

  app.use(authRoutes(deps, passport, deps.sessions));
  // Calendar programs fetch the feed without a session: its secret address is the key.
  app.use(calendarFeedRoutes(deps));
  app.use(requireSignIn);
  // Past this point a page answered before comes from memory while nothing it shows has changed.
  app.use(cachePages({ changes: deps.changes, clock: deps.clock }));
  app.use(countWaitingForTopBar(deps));
  app.use(countUnreadForTopBar(deps));
  app.use(homeRoutes(deps));
  app.use(engagementRoutes(deps));
  app.use(taskRoutes(deps));
  app.use(peopleRoutes(deps));
  app.use(documentRoutes(deps));
  app.use(documentationReviewRoutes(deps));
  app.use(trainingRoutes(deps));
  app.use(eventRoutes(deps));
  app.use(firmRoutes(deps));
  app.use(notificationRoutes(deps));
  app.use(reminderRoutes(deps));
  app.use(contentRoutes(deps));
  app.use(calendarFeedPageRoutes(deps));
  app.use(apiTokenPageRoutes(deps));
  app.use(deskRoutes(deps));
  app.use(commentRoutes(deps));
  app.use(livingRoutes(deps));
  app.use(portfolioRoutes(deps));
  app.use(kpiRoutes(deps));
  app.use(webhookRoutes(deps));

  app.use(pages.notFound);
  app.use(pages.errorHandler);
  return app;
}
