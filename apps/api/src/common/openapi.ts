import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  DeliveryStatus,
  OrganizationKind,
  OverrideKind,
  PickupStatus,
  PRIORITY_CATEGORIES,
  PROBLEM_CODES,
  ProvinceNightStatus,
  REPORT_KINDS,
  Role,
  RunStatus,
  RunTrigger,
} from '#domain';

class FieldProblemView {
  @ApiProperty({ example: 'lines[0].statedQuantity' }) field: string;
  @ApiProperty({ example: 'statedQuantity must not be less than 0' }) reason: string;
}

/** RFC 9457 problem details, as every error is answered. */
export class ProblemView {
  @ApiProperty({ example: '/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ example: 400, type: 'integer' }) status: number;
  @ApiProperty({ example: 'Invalid request: headcount: headcount must not be less than 0' }) detail: string;
  @ApiProperty({ enum: PROBLEM_CODES, enumName: 'ProblemCode', example: 'VALIDATION_FAILED', description: 'Stable machine-readable error code' }) code: string;
  @ApiPropertyOptional({ example: '/enterprises/3b1e…/demand-reports' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldProblemView] }) errors?: FieldProblemView[];
}

// Markers the route decorators leave on an operation for describeApi, which reads and removes them.
const PUBLIC_MARK = 'x-ppe-public';
const ROLES_MARK = 'x-ppe-roles';
const ETAG_MARK = 'x-ppe-etag';

/** Describes a route as needing no credential (set by @Public). */
export const ApiPublic = () => ApiExtension(PUBLIC_MARK, true);
/** Describes which roles may call a route (set by @Roles): 403 for the others. */
export const ApiRoles = (roles: readonly Role[]) => ApiExtension(ROLES_MARK, [...roles]);
/** The route's success response carries the resource's ETag (its version), for If-Match. */
export const ApiEtag = () => applyDecorators(ApiExtension(ETAG_MARK, true));

type Json = Record<string, unknown>;
type Operation = Json & { operationId?: string; summary?: string; description?: string; parameters?: Json[]; requestBody?: Json; responses: Record<string, Json>; security?: Json[] };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** What each error status means on this API; the problem `code` says which case it is. */
const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid input: `errors` names each field and the reason',
  401: 'No credential, or an unknown or revoked one',
  403: 'The caller’s role may not do this (or a console change came without its CSRF token)',
  404: 'Not found, or outside the caller’s organization or zone',
  409: 'Conflicts with the current state (after a cutoff, a run not in the right status, a request with this Idempotency-Key still in flight)',
  412: 'If-Match is stale: read the resource again and retry with its ETag',
  413: 'The body is larger than the server accepts',
  422: 'Breaks a business rule (or reuses an Idempotency-Key for a different request)',
  428: 'If-Match is missing: send the ETag you read',
  429: 'Too many requests from this credential, or too many failed sign-ins from this address: wait Retry-After seconds',
  503: 'PostgreSQL or Redis is unreachable: retry after Retry-After seconds',
};

const HEADERS: Record<string, Json> = {
  'X-Request-Id': { description: 'The request’s id in the logs: the caller’s X-Request-Id if sane, else a new UUID', schema: { type: 'string' } },
  'RateLimit-Limit': { description: 'Requests allowed per credential per minute', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the current minute', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the current minute’s count resets', schema: { type: 'integer' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
  ETag: { description: 'The resource’s version, quoted ("3"): send it back as If-Match to change it', schema: { type: 'string', example: '"3"' } },
  'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
};

const PARAMETERS: Record<string, Json> = {
  RequestId: { name: 'X-Request-Id', in: 'header', required: false, description: 'Your id for this request, echoed back and written in the logs (1–128 printable characters)', schema: { type: 'string', maxLength: 128 } },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Makes a retry safe for 24 hours: the same key and request answer the first response again (Idempotent-Replayed: true) without doing the work twice',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  },
};

/** Properties and query parameters that count things (people, units, packs, versions, rows, pages): integers. */
const COUNTS = new Set([
  'registeredEmployees', 'headcount', 'stockOnHand', 'statedQuantity', 'need', 'quantity', 'units', 'packs', 'packSize',
  'version', 'sequence', 'attempts', 'attemptsMade', 'lastStatusCode', 'page', 'pageSize', 'total', 'slotMinutes', 'vehiclesPerSlot',
  'maxSuppliersPerEnterprise', 'derivedDemand', 'statedDemand', 'totalDemand', 'capacity', 'balance', 'registered', 'reported',
  'missingCount', 'kept', 'changed', 'cancelled', 'new', 'demand', 'supply', 'allocated', 'unmet', 'surplus', 'splits', 'trips',
  'overSupplierLimit', 'lines', 'appointments', 'before', 'after', 'change', 'rows', 'organizations', 'versionsCreated', 'reposted',
  'requested', 'tier', 'distanceM', 'snapshotMs', 'solveMs', 'writeMs', 'totalMs', 'maxRssKb', 'status', 'max',
]);

/** Named components for the enums the domain defines; any other inline enum gets a name from where it is first used. */
const DOMAIN_ENUMS: Record<string, readonly string[]> = {
  Role: Object.values(Role),
  OrganizationKind: Object.values(OrganizationKind),
  PriorityCategory: PRIORITY_CATEGORIES,
  RunStatus: Object.values(RunStatus),
  RunTrigger: Object.values(RunTrigger),
  PickupStatus: Object.values(PickupStatus),
  ProvinceNightStatus: Object.values(ProvinceNightStatus),
  OverrideKind: Object.values(OverrideKind),
  DeliveryStatus: Object.values(DeliveryStatus),
  ReportKind: Object.keys(REPORT_KINDS),
};

const pascal = (s: string) => s.replace(/(^|[-_ ])(\w)/g, (_, __, c: string) => c.toUpperCase());
const problemResponse = (description: string, extraHeaders: string[]): Json => ({
  description,
  headers: Object.fromEntries(['X-Request-Id', ...extraHeaders].map((h) => [h, { $ref: `#/components/headers/${h}` }])),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } },
});

/**
 * Completes the document Nest builds from the decorators with what follows from how each route
 * behaves, so no route lists it by hand and a new route gets it too: its security, its error
 * responses (from its credential, roles, parameters, body and If-Match), the headers every response
 * carries, Idempotency-Key on authenticated POSTs, formats and integers, and named enums.
 */
export function describeApi(document: OpenAPIObject): OpenAPIObject {
  const doc = document as unknown as Json & { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, Json>> };
  doc.components.headers = { ...(doc.components.headers ?? {}), ...HEADERS };
  doc.components.parameters = { ...(doc.components.parameters ?? {}), ...PARAMETERS };
  for (const item of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) describeOperation(method, op);
    }
  }
  for (const schema of Object.values(doc.components.schemas)) typeSchema(schema);
  nameEnums(doc);
  return document;
}

function describeOperation(method: string, op: Operation): void {
  const isPublic = op[PUBLIC_MARK] === true;
  const roles = op[ROLES_MARK] as Role[] | undefined;
  const etag = op[ETAG_MARK] === true;
  delete op[PUBLIC_MARK];
  delete op[ROLES_MARK];
  delete op[ETAG_MARK];

  // A Content-Type "parameter" is ignored by OpenAPI: the request body's media type says it.
  const parameters = (op.parameters ?? []).filter((p) => !(p.in === 'header' && /^(content-type|accept|authorization)$/i.test(String(p.name))));
  for (const p of parameters) typeParameter(p);
  const has = (where: string) => parameters.some((p) => p.in === where);
  const ifMatch = parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'if-match');
  const idempotent = method === 'post' && !isPublic;
  op.parameters = [...parameters, { $ref: '#/components/parameters/RequestId' }, ...(idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : [])];

  if (isPublic) op.security = [];
  else op.security ??= [{ bearer: [] }];

  if (op.requestBody) fileUploadForm(op.requestBody);
  const statuses = new Set<number>();
  const body = op.requestBody !== undefined;
  if (has('path') || has('query') || body || idempotent) statuses.add(400);
  if (!isPublic) [401, 429, 503].forEach((s) => statuses.add(s));
  if (!isPublic && (roles !== undefined || method !== 'get')) statuses.add(403); // roles, or the console's CSRF check on changes
  if (has('path')) statuses.add(404);
  if (method !== 'get') statuses.add(409);
  if (body) statuses.add(413);
  if (body || method !== 'get') statuses.add(422);
  if (ifMatch) [412, 428].forEach((s) => statuses.add(s));
  if (isPublic && body) statuses.add(429); // a public sign-in counts failures per address

  const limited = !isPublic;
  const successHeaders = ['X-Request-Id', ...(limited ? ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] : []), ...(etag ? ['ETag'] : []), ...(idempotent ? ['Idempotent-Replayed'] : [])];
  for (const [code, response] of Object.entries(op.responses)) {
    const status = Number(code);
    if (status >= 400) {
      const extra = status === 429 || status === 503 ? ['Retry-After'] : [];
      op.responses[code] = problemResponse(String(response.description || ERROR_STATUSES[status] || 'Error'), extra);
    } else {
      textAsText(response);
      response.headers = { ...((response.headers as Json) ?? {}), ...Object.fromEntries(successHeaders.map((h) => [h, { $ref: `#/components/headers/${h}` }])) };
    }
  }
  for (const status of statuses) {
    if (!op.responses[status]) op.responses[status] = problemResponse(ERROR_STATUSES[status], status === 429 || status === 503 ? ['Retry-After'] : []);
  }

  const who = isPublic ? 'No credential needed.' : roles ? `Who may call: ${roles.join(', ')}.` : 'Who may call: any authenticated caller (objects outside their reach answer 404).';
  op.description = [op.description, who].filter(Boolean).join('\n\n');
}

/**
 * A text body (CSV, HTML, calendar) is a string to a client, not bytes: `format: binary` would make
 * generated clients hand it over as a Blob. Binary media (XLSX) stay binary.
 */
function textAsText(response: Json): void {
  for (const [media, content] of Object.entries((response.content as Record<string, Json> | undefined) ?? {})) {
    const schema = content.schema as Json | undefined;
    if (media.startsWith('text/') && schema?.format === 'binary') delete schema.format;
  }
}

/**
 * A route that takes a file as a text body (an import's CSV) may also take it as a multipart form:
 * the form has one field, `file`, holding the same text.
 */
function fileUploadForm(requestBody: Json): void {
  const content = (requestBody.content as Record<string, Json> | undefined) ?? {};
  const form = content['multipart/form-data'];
  const schema = form?.schema as Json | undefined;
  if (!form || schema?.type !== 'string') return;
  const textMedia = Object.keys(content).find((m) => m.startsWith('text/')) ?? 'text/csv';
  form.schema = { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: `The file, as the ${textMedia} body would carry it` } } };
  form.encoding = { file: { contentType: textMedia } };
}

/** uuid for ids, date for service dates, date-time for instants. */
function formatOf(name: string, schema: Json): void {
  if (schema.type !== 'string' || schema.format || schema.enum || schema.pattern) return;
  if (name === 'id' || /[a-z]Id$/.test(name)) schema.format = 'uuid';
  else if (name === 'serviceDate' || name === 'from' || name === 'to' || name === 'date' || /Date$/.test(name)) schema.format = 'date';
  else if (/At$/.test(name)) schema.format = 'date-time';
}

function typeParameter(p: Json): void {
  const schema = p.schema as Json | undefined;
  if (!schema) return;
  if (schema.type === 'number' && COUNTS.has(String(p.name))) schema.type = 'integer';
  formatOf(String(p.name), schema);
}

function typeSchema(schema: Json): void {
  const properties = schema.properties as Record<string, Json> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    const target = property.type === 'array' && property.items ? (property.items as Json) : property;
    if (target.type === 'number' && COUNTS.has(name)) target.type = 'integer';
    formatOf(name, target);
    if (target.properties) typeSchema(target);
  }
}

/** Every inline enum becomes a named component (one per set of values), referenced where it was. */
function nameEnums(doc: Json & { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, Json>> }): void {
  const schemas = doc.components.schemas;
  const byValues = new Map<string, string>();
  for (const [name, values] of Object.entries(DOMAIN_ENUMS)) byValues.set(JSON.stringify([...values].sort()), name);
  for (const [name, s] of Object.entries(schemas)) if (Array.isArray(s.enum)) byValues.set(JSON.stringify([...(s.enum as string[])].sort()), name);

  const refFor = (values: string[], fallbackName: string): string => {
    const key = JSON.stringify([...values].sort());
    let name = byValues.get(key);
    if (!name) {
      name = schemas[fallbackName] ? `${fallbackName}Value` : fallbackName;
      byValues.set(key, name);
    }
    schemas[name] ??= { type: 'string', enum: values };
    return `#/components/schemas/${name}`;
  };
  const hoist = (holder: Json, key: string, fallbackName: string) => {
    const schema = holder[key] as Json | undefined;
    if (!schema) return;
    const target = schema.type === 'array' && schema.items ? (schema.items as Json) : schema;
    if (!Array.isArray(target.enum) || target.$ref) return;
    const ref = refFor(target.enum as string[], fallbackName);
    // Whatever else the property said (description, example, nullable) stays beside the reference.
    const extras = Object.fromEntries(Object.entries(target).filter(([k]) => k !== 'enum' && k !== 'type'));
    if (extras.nullable) extras.type = 'string';
    const replacement = Object.keys(extras).length > 0 ? { allOf: [{ $ref: ref }], ...extras } : { $ref: ref };
    if (target === schema) holder[key] = replacement;
    else schema.items = replacement;
  };
  for (const [schemaName, schema] of Object.entries(schemas)) {
    const properties = schema.properties as Record<string, Json> | undefined;
    for (const name of Object.keys(properties ?? {})) hoist(properties!, name, `${schemaName.replace(/(View|Dto)$/, '')}${pascal(name)}`);
  }
  for (const item of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) {
      for (const p of item[method]?.parameters ?? []) if (p.schema) hoist(p, 'schema', pascal(String(p.name)));
    }
  }
}
