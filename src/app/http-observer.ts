import type { HttpObserver } from '../adapters/http/observer.ts';
import type { Metrics } from '../adapters/metrics.ts';
import type { Logger } from './logger.ts';

/**
 * The access log (pino, one JSON line a request: method, path, status, duration, request id) and
 * the request metrics. The hot path logs at debug only, so at the default level it pays nothing but
 * its counters; every other request logs at info, and failures carry the request they belong to.
 */
export function createHttpObserver(logger: Logger, metrics: Metrics): HttpObserver {
  return {
    logsHotPath: logger.isLevelEnabled('debug'),
    answered(request) {
      if (!request.hot) metrics.request(request.route, request.status, request.ms / 1000, false);
      const line = { method: request.method, path: request.path, status: request.status, ms: Math.round(request.ms * 10) / 10, requestId: request.requestId };
      if (request.hot) logger.debug(line, 'request');
      else logger.info(line, 'request');
    },
    counted(route, status, stale, ms) {
      metrics.request(route, status, ms / 1000, stale);
    },
    failed(error, request) {
      const line = { err: error ?? undefined, method: request.method, path: request.path, status: request.status, requestId: request.requestId };
      // 501 answers a method the server does not know: the caller's doing, like a 4xx.
      if (request.status >= 500 && request.status !== 501) logger.error(line, 'request failed');
      else logger.info(line, 'request refused');
    },
  };
}
