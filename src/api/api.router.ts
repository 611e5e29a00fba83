// The REST API under /api/v1: bearer tokens instead of sessions and CSRF, JSON in and out, problems as problem+json.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { WebDeps } from '../web/web-deps.ts';
import { pickLocale, translate, type Locale } from '../web/i18n/i18n.ts';
import { isDatabaseUnreachable, RETRY_AFTER_SECONDS } from '../web/database-outage.ts';
import { AppError, InvalidInputError, NotFoundError } from '../errors.ts';
import { resolveViewer } from '../engagement/engagement-access.ts';
import { authenticateApiToken, type TokenHolder } from './api-tokens.service.ts';
import { parseApiInput } from './api-input.ts';
import { problem, problemOf, sendProblem, type ProblemKind } from './problem.ts';
import { buildOpenApiDocument } from './openapi.ts';
import type { Endpoint } from './endpoint.ts';
import { engagementEndpoints } from './endpoints/engagements.endpoints.ts';
import { documentEndpoints } from './endpoints/documents.endpoints.ts';
import { contentEndpoints } from './endpoints/content.endpoints.ts';
import { eventEndpoints } from './endpoints/events.endpoints.ts';
import { kpiEndpoints } from './endpoints/kpis.endpoints.ts';
import { commentEndpoints } from './endpoints/comments.endpoints.ts';

export const API_BASE = '/api/v1';
export const apiEndpoints: Endpoint[] = [...engagementEndpoints, ...documentEndpoints, ...contentEndpoints, ...kpiEndpoints, ...commentEndpoints, ...eventEndpoints];

const holderOf = (res: Response) => res.locals.apiHolder as TokenHolder | undefined;
const localeOf = (req: Request, res: Response): Locale => holderOf(res)?.locale ?? pickLocale(req.headers['accept-language']);
const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
const hasNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) ? value.some(hasNul) : !!value && typeof value === 'object' && Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v));
const IDEMPOTENCY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class RequestProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detailKey: string,
  ) {
    super(detailKey);
  }
}

export function apiRoutes(deps: WebDeps): Router {
  const router = Router();
  const document = buildOpenApiDocument(apiEndpoints, `${deps.baseUrl}${API_BASE}`);
  const say = (req: Request, res: Response, kind: ProblemKind, detailKey: string) => sendProblem(res, problem(kind, localeOf(req, res), translate(localeOf(req, res), `api.problem.${detailKey}`)));

  // The description is public: a client is generated from it before anyone has a token.
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });

  router.use(async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const secret = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!secret) return say(req, res, 'unauthorized', 'noToken');
    const holder = await authenticateApiToken(deps, secret);
    if (!holder) return say(req, res, 'unauthorized', 'badToken');
    res.locals.apiHolder = holder;
    next();
  });

  router.use(express.json({ limit: '200kb', type: ['application/json', 'application/*+json'] }));

  for (const e of apiEndpoints) {
    router[e.method](e.path.replace(/\{(\w+)\}/g, ':$1'), async (req, res) => {
      const holder = holderOf(res)!;
      if (e.writes && holder.scope !== 'read-write') return say(req, res, 'insufficientScope', 'readOnly');
      const params = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, String(v)]));
      // Access first: another engagement's address is "not found" whatever the input, as in the commands.
      if (params.engagementId && !(await mayOpen(deps, params.engagementId, holder.userId))) throw new NotFoundError('Engagement');
      if (e.body && hasBody(req) && !req.is(['application/json', 'application/*+json'])) throw new RequestProblem('unsupportedMediaType', 'needsJson');
      if (hasNul(req.body) || hasNul(req.query)) throw new RequestProblem('badRequest', 'nul');
      const idempotencyKey = req.get('idempotency-key');
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey.toLowerCase())) {
        throw new InvalidInputError([{ field: 'Idempotency-Key', message: 'must be an id (a UUID)' }]);
      }
      const query = e.query ? parseApiInput(e.query, { ...(req.query as object) }) : undefined;
      const body = e.body ? parseApiInput(e.body, req.body ?? {}) : undefined;
      const result = await e.handle({ deps: { ...deps, formKey: idempotencyKey?.toLowerCase() }, holder, locale: holder.locale, params, query, body });
      res.status(e.success.status).json(result);
    });
  }

  router.use((req, res) => say(req, res, 'notFound', 'noRoute'));

  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const locale = localeOf(req, res);
    if (res.headersSent) return void res.destroy();
    if (error instanceof RequestProblem) return say(req, res, error.kind, error.detailKey);
    if (error instanceof AppError) return sendProblem(res, problemOf(error, locale));
    if (isDatabaseUnreachable(error)) {
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return sendProblem(res, problem('unavailable', locale, translate(locale, 'errors.databaseUnavailable.text')));
    }
    // The body parser's own refusals carry their status.
    const status = (error as { status?: unknown }).status;
    if (status === 413) return say(req, res, 'tooLarge', 'tooLargeDetail');
    if (status === 415) return say(req, res, 'unsupportedMediaType', 'needsJson');
    if (status === 400) return say(req, res, 'badRequest', 'badJson');
    deps.log(`error on ${req.method} ${API_BASE}${req.path}: ${(error as Error)?.stack ?? String(error)}`);
    say(req, res, 'internal', 'internalDetail');
  });

  return router;
}

/** The pages' rule (engagement-access.ts): its participants, and a firm administrator, who reads any engagement. */
async function mayOpen(deps: WebDeps, engagementId: string, userId: string): Promise<boolean> {
  return (await resolveViewer(deps.orm.em.fork(), engagementId, userId)) !== null;
}
