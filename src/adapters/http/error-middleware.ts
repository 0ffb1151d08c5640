import type { Context, Middleware } from 'koa';
import { BackoffError, ServiceError, type ErrorCode } from '../../domain/errors.ts';

/** A caller asked for something that does not exist or makes no sense: the HTTP adapter's own failure. */
export class BadRequestError extends Error {
  readonly status = 400;
  readonly expose = true;
}

/** Every code the core can raise, with its status; the type makes a new code fail to compile until it is mapped. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  NO_DATA: 503,
  CACHE_UNAVAILABLE: 503,
  BACKOFF: 503,
  UPSTREAM_FAILED: 502,
  DATE_OUT_OF_RANGE: 400,
  UNKNOWN_BUILDING: 400,
};

export type ErrorReporter = (error: unknown, status: number, ctx: Context) => void;

/** The one place failures become responses: JSON `{detail}`, a fitting status, never a stack trace. */
export function errorMiddleware(report: ErrorReporter): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // 404 from Koa, 405 (with `Allow`) and 501 from the router: the same JSON shape as every failure.
      if (ctx.status >= 400 && (ctx.body === undefined || ctx.body === null)) {
        const status = ctx.status;
        ctx.body = { detail: ctx.message };
        ctx.status = status;
        if (ctx.response.get('Allow') === '') ctx.remove('Allow'); // the router's 501 on a path it has no route for
        if (status !== 404) report(null, status, ctx);
      }
    } catch (error) {
      const failure = failureResponse(error);
      report(error, failure.status, ctx);
      ctx.status = failure.status;
      ctx.body = failure.body;
      ctx.set(failure.headers);
    }
  };
}

/** Seconds for `Retry-After`: a backoff says how long; other 503s suggest 30. */
const retryAfterOf = (error: unknown): string => String(error instanceof BackoffError ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : 30);

/** A failure as the API answers it; also used by the lean lane outside Koa. */
export function failureResponse(error: unknown): { status: number; body: { detail: string }; headers: Record<string, string> } {
  const status = statusOf(error);
  const headers: Record<string, string> = error instanceof ServiceError && status === 503 ? { 'Retry-After': retryAfterOf(error) } : {};
  return { status, body: { detail: detailOf(error, status) }, headers };
}

function statusOf(error: unknown): number {
  if (error instanceof ServiceError) return STATUS_BY_CODE[error.code] ?? 500;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

function detailOf(error: unknown, status: number): string {
  if (error instanceof ServiceError) return error.message;
  if (status < 500 && error instanceof Error && (error as { expose?: boolean }).expose) return error.message;
  return status === 500 ? 'Internal Server Error' : 'Request failed';
}
