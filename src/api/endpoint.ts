// One API operation as data: its address, scope, schemas and handler. The router and the OpenAPI document are both made from this list.
import type { z } from 'zod';
import type { WebDeps } from '../web/web-deps.ts';
import type { Locale } from '../web/i18n/i18n.ts';
import type { TokenHolder } from './api-tokens.service.ts';

export interface ApiCall<Q, B> {
  /** The services' dependencies, with the Idempotency-Key as the form key when the request sent one. */
  deps: WebDeps & { formKey?: string };
  holder: TokenHolder;
  locale: Locale;
  params: Record<string, string>;
  query: Q;
  body: B;
}

export interface Endpoint {
  method: 'get' | 'post' | 'put';
  /** OpenAPI form, below /api/v1: /engagements/{engagementId}. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Needs a read and write token. */
  writes: boolean;
  query?: z.ZodObject;
  body?: z.ZodType;
  success: { status: 200 | 201; schema: z.ZodType; description: string };
  handle(call: ApiCall<unknown, unknown>): Promise<unknown>;
}

type Definition<Q extends z.ZodObject | undefined, B extends z.ZodType | undefined> = Omit<Endpoint, 'query' | 'body' | 'handle'> & {
  query?: Q;
  body?: B;
  handle(call: ApiCall<Q extends z.ZodObject ? z.output<Q> : undefined, B extends z.ZodType ? z.output<B> : undefined>): Promise<unknown>;
};

/** Types the handler's query and body by the schemas that parse them. */
export function endpoint<Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(definition: Definition<Q, B>): Endpoint {
  return definition as unknown as Endpoint;
}

