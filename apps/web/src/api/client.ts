import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../../../test/client/schema.d.ts';

/** The API's types, generated from its OpenAPI document (`npm run client:generate`). */
export type Schemas = components['schemas'];

/** The CSRF token of a cookie session: the readable ppe_csrf cookie, echoed in a header (double submit). */
export function csrfToken(): string {
  const m = /(?:^|;\s*)ppe_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : '';
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') request.headers.set('X-CSRF-Token', csrfToken());
    return request;
  },
};

/** The one way the console talks to the API: typed by the OpenAPI document, cookie-authenticated. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

export interface FieldProblem {
  field: string;
  reason: string;
}

/** An application/problem+json answer: the console shows its `code` translated, never its English detail in Chinese. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(`${code}: ${detail}`);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwraps an openapi-fetch answer: the data, or an ApiProblem. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw new ApiProblem(0, 'NETWORK_ERROR', 'The service could not be reached');
  }
  if (answer.response.ok) return answer.data as T;
  const e = (answer.error ?? {}) as { code?: string; detail?: string; errors?: FieldProblem[] };
  throw new ApiProblem(answer.response.status, e.code ?? `HTTP_${answer.response.status}`, e.detail ?? answer.response.statusText, e.errors ?? []);
}

/** Like ok(), with the answer's ETag (runs carry their version in it: If-Match for changes). */
export async function withEtag<T>(call: Promise<Answer<T>>): Promise<{ data: T; etag: string }> {
  const answer = await call;
  const data = await ok(Promise.resolve(answer));
  return { data, etag: answer.response.headers.get('ETag') ?? '' };
}
