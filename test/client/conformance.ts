import type { Middleware } from 'openapi-fetch';

/** The parts of an OpenAPI 3.0 schema object this checker understands. */
interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/**
 * Where `value` differs from `schema`: wrong types, missing required properties, values outside
 * an enum, and properties the schema does not declare (a response field the description omits is
 * a description that is wrong).
 */
export function schemaProblems(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    return target ? schemaProblems(doc, { ...target, nullable: schema.nullable ?? target.nullable }, value, at) : [`${at}: unresolved ${schema.$ref}`];
  }
  if (schema.allOf) return schema.allOf.flatMap((s) => schemaProblems(doc, { nullable: schema.nullable, ...s }, value, at));
  if (value === null) return schema.nullable ? [] : [`${at}: null, but not nullable`];
  if (value === undefined) return [`${at}: missing`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: ${JSON.stringify(value)} is not a string`);
      break;
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: ${JSON.stringify(value)} is not a number`);
      break;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${at}: ${JSON.stringify(value)} is not an integer`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: ${JSON.stringify(value)} is not a boolean`);
      break;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${at}: not an array`);
      else if (schema.items) value.forEach((item, i) => problems.push(...schemaProblems(doc, schema.items as Schema, item, `${at}[${i}]`)));
      break;
    case 'object':
    case undefined:
      if (schema.type === undefined && !schema.properties) break; // no schema: anything goes
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${at}: not an object`);
        break;
      }
      problems.push(...objectProblems(doc, schema, value as Record<string, unknown>, at));
  }
  return problems;
}

function objectProblems(doc: OpenApiDocument, schema: Schema, value: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];
  const declared = schema.properties ?? {};
  for (const name of schema.required ?? []) if (!(name in value)) problems.push(`${at}.${name}: required but absent`);
  for (const [name, v] of Object.entries(value)) {
    const property = declared[name];
    if (property) {
      if (v !== undefined) problems.push(...schemaProblems(doc, property, v, `${at}.${name}`));
    } else if (typeof schema.additionalProperties === 'object') {
      problems.push(...schemaProblems(doc, schema.additionalProperties, v, `${at}.${name}`));
    } else if (schema.properties && schema.additionalProperties !== true) {
      problems.push(`${at}.${name}: not in the description`);
    }
  }
  return problems;
}

/**
 * openapi-fetch middleware checking every response against the document: its status must be
 * described for the operation, and a JSON body must match the described schema. Problems are
 * collected in `problems` (as "METHOD /path STATUS: …") for the test to assert on.
 */
export function conformanceCheck(doc: OpenApiDocument, problems: string[]): Middleware {
  return {
    async onResponse({ schemaPath, request, response }) {
      const where = `${request.method} ${schemaPath} ${response.status}`;
      const operation = doc.paths[schemaPath]?.[request.method.toLowerCase()];
      if (!operation) {
        problems.push(`${where}: operation not in the description`);
        return;
      }
      const described = operation.responses[String(response.status)] ?? operation.responses.default;
      if (!described) {
        problems.push(`${where}: status not in the description`);
        return;
      }
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
      const text = await response.clone().text();
      if (!text) return;
      const content = described.content?.[mediaType];
      if (!content) {
        problems.push(`${where}: a ${mediaType || 'untyped'} body the description does not mention`);
        return;
      }
      if (content.schema && mediaType.endsWith('json')) {
        problems.push(...schemaProblems(doc, content.schema, JSON.parse(text)).map((p) => `${where}: ${p}`));
      }
    },
  };
}
