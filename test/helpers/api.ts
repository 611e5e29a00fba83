// Talks to the REST API with a bearer token and checks every answer against the API's own OpenAPI document.
import { createApiToken } from '../../src/api/api-tokens.service.ts';
import type { TokenScope } from '../../src/api/api-token.entity.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

// ---- A validator for the JSON Schema subset the document uses; an unknown keyword is an error, never a pass. ----

const IGNORED = new Set(['description', 'default', 'title', 'examples', '$schema', '$id', 'deprecated']);
const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d\d-\d\d$/,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
};

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const isType = (v: unknown, type: string) => typeOf(v) === type || (type === 'number' && typeOf(v) === 'integer');

/** Every way the value breaks the schema, each with the JSON path where it does; none means it conforms. */
export function validateSchema(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path}: ${message}`);
  for (const [keyword, rule] of Object.entries(schema)) {
    if (IGNORED.has(keyword)) continue;
    switch (keyword) {
      case '$ref': {
        const target = String(rule).replace(/^#\//, '').split('/').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], root);
        if (!target) fail(`unresolved $ref ${String(rule)}`);
        else errors.push(...validateSchema(value, target as Schema, root, path));
        break;
      }
      case 'type': {
        const types = [rule].flat() as string[];
        if (!types.some((t) => isType(value, t))) fail(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
        break;
      }
      case 'enum':
        if (!(rule as unknown[]).includes(value)) fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(rule)}`);
        break;
      case 'const':
        if (value !== rule) fail(`expected ${JSON.stringify(rule)}`);
        break;
      case 'anyOf':
      case 'oneOf': {
        const matches = (rule as Schema[]).filter((s) => validateSchema(value, s, root, path).length === 0).length;
        if (keyword === 'anyOf' ? matches === 0 : matches !== 1) fail(`${keyword}: ${matches} of ${(rule as Schema[]).length} alternatives match`);
        break;
      }
      case 'allOf':
        for (const s of rule as Schema[]) errors.push(...validateSchema(value, s, root, path));
        break;
      case 'properties':
        if (typeOf(value) === 'object') {
          for (const [name, s] of Object.entries(rule as Record<string, Schema>)) {
            if (name in (value as object)) errors.push(...validateSchema((value as Record<string, unknown>)[name], s, root, `${path}.${name}`));
          }
        }
        break;
      case 'required':
        if (typeOf(value) === 'object') for (const name of rule as string[]) if (!(name in (value as object))) fail(`missing required property ${name}`);
        break;
      case 'additionalProperties':
        if (typeOf(value) === 'object') {
          const known = Object.keys((schema.properties ?? {}) as object);
          for (const [name, v] of Object.entries(value as object)) {
            if (known.includes(name)) continue;
            if (rule === false) fail(`unexpected property ${name}`);
            else if (rule && typeof rule === 'object') errors.push(...validateSchema(v, rule as Schema, root, `${path}.${name}`));
          }
        }
        break;
      case 'propertyNames':
        if (typeOf(value) === 'object') for (const name of Object.keys(value as object)) errors.push(...validateSchema(name, rule as Schema, root, `${path}[key ${name}]`));
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((v, i) => errors.push(...validateSchema(v, rule as Schema, root, `${path}[${i}]`)));
        break;
      case 'minItems':
      case 'maxItems':
        if (Array.isArray(value) && (keyword === 'minItems' ? value.length < Number(rule) : value.length > Number(rule))) fail(`${keyword} ${String(rule)}, has ${value.length}`);
        break;
      case 'minLength':
      case 'maxLength':
        if (typeof value === 'string' && (keyword === 'minLength' ? value.length < Number(rule) : value.length > Number(rule))) fail(`${keyword} ${String(rule)}`);
        break;
      case 'minimum':
      case 'maximum':
        if (typeof value === 'number' && (keyword === 'minimum' ? value < Number(rule) : value > Number(rule))) fail(`${keyword} ${String(rule)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(String(rule), 'u').test(value)) fail(`does not match ${String(rule)}`);
        break;
      case 'format':
        if (typeof value === 'string' && FORMATS[String(rule)] && !FORMATS[String(rule)]!.test(value)) fail(`not a ${String(rule)}`);
        if (!FORMATS[String(rule)]) fail(`the validator does not know the format ${String(rule)}`);
        break;
      default:
        fail(`the validator does not know the keyword ${keyword}`);
    }
  }
  return errors;
}

// ---- The client ----

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
type OpenApi = Schema & { paths: Record<string, Record<string, Operation & { operationId: string }>> };

/** The operations answered during this run, by operationId: the conformance test asks that each was. */
export const operationsSeen = new Set<string>();
/** How many answers were checked against the document in this run. */
export const answersChecked = { count: 0 };

const documents = new Map<string, Promise<OpenApi>>();

export function openApiOf(baseUrl: string): Promise<OpenApi> {
  if (!documents.has(baseUrl)) documents.set(baseUrl, fetch(`${baseUrl}/api/v1/openapi.json`).then((r) => r.json() as Promise<OpenApi>));
  return documents.get(baseUrl)!;
}

/** The document's operation for a method and a concrete path, such as /engagements/abc/tasks. */
function findOperation(doc: OpenApi, method: string, path: string): (Operation & { operationId: string }) | null {
  for (const [template, operations] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
    if (pattern.test(path) && operations[method.toLowerCase()]) return operations[method.toLowerCase()]!;
  }
  return null;
}

/** Throws, naming the operation and the place, unless the answer is one the document describes. */
export function checkAgainstDocument(doc: OpenApi, method: string, path: string, status: number, contentType: string, body: unknown): void {
  const bare = path.split('?')[0]!.replace(/^\/api\/v1/, '');
  const operation = bare === '/openapi.json' ? null : findOperation(doc, method, bare);
  const mediaType = contentType.split(';')[0]!.trim();
  let schema: Schema;
  if (!operation) {
    // An address the document does not have may only answer "not found" or "no token", as a problem.
    if (bare === '/openapi.json') return;
    if (![401, 404].includes(status) || mediaType !== 'application/problem+json') throw new Error(`${method} ${path}: ${status} ${mediaType} for an address the document does not describe`);
    schema = { $ref: '#/components/schemas/Problem' };
  } else {
    operationsSeen.add(operation.operationId);
    const response = operation.responses[String(status)];
    if (!response) throw new Error(`${operation.operationId}: status ${status} is not in the document (${JSON.stringify(body)})`);
    const content = response.content?.[mediaType];
    if (!content) throw new Error(`${operation.operationId} ${status}: content type ${mediaType} is not in the document`);
    schema = content.schema;
  }
  const errors = validateSchema(body, schema, doc);
  if (errors.length) throw new Error(`${operation?.operationId ?? path} ${status} does not match the document:\n  ${errors.join('\n  ')}`);
  answersChecked.count += 1;
}

export interface ApiAnswer<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

/** A program holding one token: JSON in, JSON out, every answer checked against the document. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  async request<T = any>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, options: { headers?: Record<string, string>; rawBody?: string } = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, { method, headers, body: options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)), redirect: 'manual' });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const parsed = text ? (JSON.parse(text) as T) : (null as T);
    checkAgainstDocument(await openApiOf(this.baseUrl), method, `/api/v1${path}`, res.status, contentType, parsed);
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, { headers });
  }
}

/** A token made through the service, as the account page makes it. */
export async function tokenFor(deps: ServiceDeps, userId: string, scope: TokenScope = 'read-write', expiresInDays = 30): Promise<string> {
  return (await createApiToken(deps, userId, { name: `test ${scope}`, scope, expiresInDays })).secret;
}
