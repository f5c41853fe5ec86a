import { z, type ZodType } from 'zod';
import { errorBodySchema } from '@campuspay/shared';
import type { AnyRouteSpec } from './route.ts';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(properties).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: prop,
  }));
}

const SECURITY: Record<AnyRouteSpec['auth'], JsonSchema[] | undefined> = {
  public: undefined,
  staff: [{ staffBearer: [] }],
  parent: [{ parentBearer: [] }],
  wechatpay: undefined,
};

/** An OpenAPI 3.1 document generated from the same schemas the server validates with. */
export function buildOpenApi(specs: AnyRouteSpec[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of specs) {
    const path = `/api/v1${spec.path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation: JsonSchema = {
      summary: spec.summary,
      tags: spec.tags,
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      responses: {
        [String(spec.status ?? (spec.response ? 200 : 204))]: spec.response
          ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } }
          : { description: 'OK' },
        default: { description: '错误', content: { 'application/json': { schema: jsonSchema(errorBodySchema, 'output') } } },
      },
    };
    if (spec.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } };
    }
    const security = SECURITY[spec.auth];
    if (security) operation.security = security;
    if (spec.permission) operation['x-permission'] = spec.permission;
    (paths[path] ??= {})[spec.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        staffBearer: { type: 'http', scheme: 'bearer', description: '学校及银行工作人员登录令牌' },
        parentBearer: { type: 'http', scheme: 'bearer', description: '家长小程序登录令牌' },
      },
    },
  };
}
