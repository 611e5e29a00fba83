// The account's API tokens page: make a token (its secret shown once, in that answer), see when each was last used, revoke one.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { fields, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_LIFETIMES_DAYS } from '../../api/api-tokens.service.ts';
import { tokenScopes } from '../../api/api-token.entity.ts';
import { API_BASE } from '../../api/api.router.ts';

const TOKEN_FIELDS = ['name', 'scope', 'expiresInDays'] as const;
const PAGE = '/account/tokens';

export function apiTokenPageRoutes(deps: WebDeps): Router {
  const router = Router();

  const render = async (req: Request, res: Response, extra: { secret?: string; values?: Record<string, string>; errors?: Record<string, string> } = {}) => {
    const errors = extra.errors ?? {};
    // The page that shows a secret must not be kept by the browser or a proxy.
    res.setHeader('Cache-Control', 'no-store');
    res.status(Object.keys(errors).length ? 422 : 200).render('account/tokens', {
      tokens: await listApiTokens(deps, req.user!.id),
      secret: extra.secret ?? null,
      values: extra.values ?? { scope: 'read', expiresInDays: '90' },
      errors,
      scopes: tokenScopes,
      lifetimes: TOKEN_LIFETIMES_DAYS,
      openApiUrl: `${deps.baseUrl}${API_BASE}/openapi.json`,
    });
  };

  router.get(PAGE, (req, res) => render(req, res));

  router.post(PAGE, async (req, res) => {
    const values = fields(req, TOKEN_FIELDS);
    try {
      const { secret } = await createApiToken(once(deps, req), req.user!.id, values);
      await render(req, res, { secret });
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await render(req, res, { values, errors });
    }
  });

  router.post(`${PAGE}/:tokenId/revoke`, async (req, res) => {
    await revokeApiToken(deps, req.user!.id, String(req.params.tokenId));
    flash(req, 'notice', translate(localeOf(req), 'api.tokens.revokedNotice'));
    res.redirect(303, PAGE);
  });

  return router;
}
