// The OpenAPI 3.1 document, generated from the endpoint list and the same Zod schemas that check the requests.
import { z } from 'zod';
import type { Endpoint } from './endpoint.ts';
import { requests, responses } from './api.schemas.ts';

/** Every problem an operation can answer with, by status; all as application/problem+json. */
const READ_PROBLEMS: Record<number, string> = {
  401: 'No token, or an unknown, expired or revoked one',
  403: "The person's role in the engagement does not allow this",
  404: 'No such resource, or one of an engagement the person does not take part in',
  422: 'A query parameter is not valid; errors names it',
  500: 'An unexpected error, logged',
  503: 'The database does not answer; try again after Retry-After seconds',
};
const WRITE_PROBLEMS: Record<number, string> = {
  ...READ_PROBLEMS,
  400: 'The body is not valid JSON, or holds a NUL character',
  403: 'A read-only token, or a role that does not allow this',
  409: 'Refused by the rules now (reasons says why), a stale version, or an Idempotency-Key already used',
  413: 'The body is larger than 200 KB',
  415: 'The body is not application/json',
  422: 'The input is not valid; errors names each field',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function componentsOf(registry: typeof responses, io: 'input' | 'output'): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema]));
}

function nameOf(registry: typeof responses, schema: z.ZodType): string {
  const id = registry.get(schema)?.id;
  if (!id) throw new Error('An API schema without a name in its registry');
  return id;
}

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));

function queryParameters(query: z.ZodObject | undefined) {
  if (!query) return [];
  return Object.entries(query.shape).map(([name, schema]) => {
    const { $schema: _s, ...json } = z.toJSONSchema(schema as z.ZodType, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
    return { name, in: 'query', required: !(schema as z.ZodType).safeParse(undefined).success, schema: json };
  });
}

const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A UUID of your choosing: a write sent again with the same key is done once; the repeat answers 409 already-done',
  schema: { type: 'string', format: 'uuid' },
};

function operationOf(e: Endpoint) {
  const problems = e.writes ? WRITE_PROBLEMS : READ_PROBLEMS;
  return {
    operationId: e.operationId,
    summary: e.summary,
    tags: [e.tag],
    description: e.writes ? 'Needs a token with the read-write scope.' : 'Any token may read.',
    parameters: [...pathParameters(e.path), ...queryParameters(e.query), ...(e.writes ? [IDEMPOTENCY] : [])],
    ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(nameOf(requests, e.body)) } } } } : {}),
    responses: {
      [e.success.status]: { description: e.success.description, content: { 'application/json': { schema: ref(nameOf(responses, e.success.schema)) } } },
      ...Object.fromEntries(Object.entries(problems).map(([status, description]) => [status, { description, content: { 'application/problem+json': { schema: ref('Problem') } } }])),
    },
  };
}

export function buildOpenApiDocument(endpoints: Endpoint[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) (paths[e.path] ??= {})[e.method] = operationOf(e);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Troika REST API',
      version: '1',
      description:
        "Engagements, tasks, documents, content items, KPIs and their actuals, comments and events, with the rights the token's owner has in the web pages. Errors are application/problem+json in the owner's language.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerToken: [] }],
    paths,
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal access token from the account page (API tokens)' } },
      schemas: { ...componentsOf(responses, 'output'), ...componentsOf(requests, 'input') },
    },
  };
}
