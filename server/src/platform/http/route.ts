import type Router from '@koa/router';
import type { ZodType, z } from 'zod';
import type { FieldIssue } from '@campuspay/shared';
import { AppError } from '../errors.ts';
import type { AppContext, AppState } from './context.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: anyone, a signed-in staff user (further narrowed by
 * `permission`), a signed-in parent, or WeChat Pay (verified by signature).
 */
export type RouteAuth = 'public' | 'staff' | 'parent' | 'wechatpay';

type Parsed<T> = T extends ZodType ? z.output<T> : undefined;

export interface RouteInput<TBody, TQuery, TParams> {
  body: Parsed<TBody>;
  query: Parsed<TQuery>;
  params: Parsed<TParams>;
  ctx: AppContext;
}

export interface RouteSpec<
  TBody extends ZodType | undefined = ZodType | undefined,
  TQuery extends ZodType | undefined = ZodType | undefined,
  TParams extends ZodType | undefined = ZodType | undefined,
> {
  method: HttpMethod;
  /** Path below /api/v1 in @koa/router syntax (`/admin/students/:id`). */
  path: string;
  summary: string;
  tags: string[];
  auth: RouteAuth;
  /** For staff routes: the permission key checked against the user's grants. */
  permission?: string;
  body?: TBody;
  query?: TQuery;
  params?: TParams;
  response?: ZodType;
  /** Moves money: an `Idempotency-Key` header makes repeats return the first answer. */
  idempotent?: boolean;
  /** Status for a successful answer; default 200, or 204 when the handler returns nothing. */
  status?: number;
  /** Routes that stream files or answer in a third party's format set ctx.body themselves and return undefined. */
  handler(input: RouteInput<TBody, TQuery, TParams>): Promise<unknown> | unknown;
}

export type AnyRouteSpec = RouteSpec<ZodType | undefined, ZodType | undefined, ZodType | undefined>;

/** Identity function that lets TypeScript infer the handler's input types from the schemas. */
export function route<
  TBody extends ZodType | undefined = undefined,
  TQuery extends ZodType | undefined = undefined,
  TParams extends ZodType | undefined = undefined,
>(spec: RouteSpec<TBody, TQuery, TParams>): AnyRouteSpec {
  return spec as unknown as AnyRouteSpec;
}

export type Authenticator = (ctx: AppContext, spec: AnyRouteSpec) => Promise<void>;

export function validationError(issues: FieldIssue[], where: string): AppError {
  const summary = issues
    .slice(0, 3)
    .map((i) => (i.path ? `${i.path}：${i.message}` : i.message))
    .join('；');
  return new AppError('VALIDATION_FAILED', `${where}校验失败：${summary}`, { details: { fields: issues } });
}

function parseWith<T extends ZodType | undefined>(schema: T, value: unknown, where: string): Parsed<T> {
  if (!schema) return undefined as Parsed<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data as Parsed<T>;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw validationError(issues, where);
}

/**
 * Mounts route specs on a router: authentication by kind, validation of
 * params, query and body with the shared zod schemas, then the handler.
 * A route whose auth kind has no authenticator is a programming error and
 * fails at start-up, not at request time.
 */
export function mountRoutes(
  router: Router<AppState>,
  specs: AnyRouteSpec[],
  authenticators: Partial<Record<RouteAuth, Authenticator>>,
): void {
  for (const spec of specs) {
    const authenticate = spec.auth === 'public' ? undefined : authenticators[spec.auth];
    if (spec.auth === 'staff' && !spec.permission) {
      throw new Error(`Staff route ${spec.method.toUpperCase()} ${spec.path} declares no permission`);
    }
    if (spec.auth !== 'public' && !authenticate) {
      throw new Error(`Route ${spec.method.toUpperCase()} ${spec.path} needs "${spec.auth}" authentication, which is not configured`);
    }
    router[spec.method](spec.path, async (ctx) => {
      if (authenticate) await authenticate(ctx, spec);
      const params = parseWith(spec.params, ctx.params, '路径参数');
      const query = parseWith(spec.query, ctx.query, '查询参数');
      const body = parseWith(spec.body, ctx.state.body ?? {}, '请求体');
      const result = await spec.handler({ body, query, params, ctx });
      if (result !== undefined) {
        ctx.body = result;
        ctx.status = spec.status ?? 200;
      } else if (ctx.body === undefined) {
        ctx.status = spec.status ?? 204;
      }
    });
  }
}
