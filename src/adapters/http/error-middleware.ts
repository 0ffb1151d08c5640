import type { Middleware } from 'koa';
import { ServiceError } from '../../domain/errors.ts';

const STATUS_BY_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  NO_DATA: 503,
  CACHE_UNAVAILABLE: 503,
  UPSTREAM_FAILED: 502,
};

export type ErrorReporter = (error: unknown, status: number) => void;

/** The one place failures become responses: JSON `{detail}`, a fitting status, never a stack trace. */
export function errorMiddleware(report: ErrorReporter): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { detail: 'Not Found' };
      }
    } catch (error) {
      const status = statusOf(error);
      report(error, status);
      ctx.status = status;
      ctx.body = { detail: detailOf(error, status) };
      if (error instanceof ServiceError && status === 503) ctx.set('Retry-After', '30');
    }
  };
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
