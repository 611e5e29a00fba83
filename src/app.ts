// Express wiring only: no listen, no globals; every dependency comes in.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Orm } from './db/orm.ts';
import { AppError } from './errors.ts';

export interface AppDeps {
  orm: Orm;
  log?: (line: string) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  // Liveness: the process answers. Readiness: the database answers too.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready', database: 'reachable' });
    } catch (error) {
      deps.log?.(`readyz: ${(error as Error).message}`);
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'No such page' });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof AppError) {
      res.status(error.status).json({ error: error.code, message: error.message });
      return;
    }
    deps.log?.(`unhandled: ${(error as Error)?.stack ?? String(error)}`);
    res.status(500).json({ error: 'INTERNAL', message: 'Something went wrong on our side' });
  });
  return app;
}
