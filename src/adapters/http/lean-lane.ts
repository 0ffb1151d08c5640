import { errorHeaders } from './cors.ts';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ClassroomService } from '../../domain/classroom-service.ts';
import type { FreeRoomsQuery } from '../../domain/day-views.ts';
import { encodeBody } from './encoded-body.ts';
import { failureResponse } from './error-middleware.ts';
import { createHttpApp, type HttpAppOptions } from './http-app.ts';
import { silentObserver } from './observer.ts';
import { freeRoomsQuery, parseSearch, shortened } from './query.ts';
import { hotHeaders, requestIdFor, type HotHeaders } from './request-headers.ts';
import { writeEncoded } from './write-encoded.ts';

const ONE_DATE = /^date=(\d{4}-\d{2}-\d{2})$/;
/** Query strings of free-rooms requests, read once each (clients repeat the same few). */
const QUERIES_KEPT = 500;
/** Longer URLs are refused with a 414 (Node refuses longer heads as a whole, see client-errors.ts). */
export const MAX_URL_LENGTH = 8192;
/** A refused URL's path is logged cut to this (`req.url` holds one character a byte: a cut splits nothing). */
const LOGGED_PATH_LENGTH = 200;

/** A request target's path and query string (without the `?`). */
function splitUrl(url: string): { path: string; search: string } {
  const mark = url.indexOf('?');
  return mark < 0 ? { path: url, search: '' } : { path: url.slice(0, mark), search: url.slice(mark + 1) };
}

/**
 * The server's request listener. The answers students ask for most (today's, one day's, the rooms
 * free at a time) go straight out of the held snapshot, their bytes built once, with no Koa, no
 * Redis and no serialising per request; a cold stampede waits here too, cheaply. Everything else
 * goes through the Koa app.
 */
export function createRequestListener(service: ClassroomService, options: HttpAppOptions = {}): RequestListener {
  const koa = createHttpApp(service, options).callback();
  const observer = options.observer ?? silentObserver;
  const queries = new Map<string, FreeRoomsQuery>();
  const freeRooms = (search: string): FreeRoomsQuery => {
    let query = queries.get(search);
    if (!query) {
      query = freeRoomsQuery(parseSearch(search)); // throws for a bad one, which is not kept
      if (queries.size >= QUERIES_KEPT) queries.clear();
      queries.set(search, query);
    }
    return query;
  };

  function write(req: IncomingMessage, res: ServerResponse, route: string, body: object & { stale?: boolean }, headers: HotHeaders, started: number): void {
    const requestId = requestIdFor(headers.requestId);
    const status = writeEncoded(req, res, encodeBody(body), headers, requestId);
    const ms = performance.now() - started;
    observer.counted(route, status, body.stale === true, ms);
    if (observer.logsHotPath) observer.answered({ method: req.method!, path: route, route, status, ms, requestId, hot: true });
  }

  /** A refusal or failure, logged and counted as Koa's are: the error line, then the access line at info. */
  function writeFailure(req: IncomingMessage, res: ServerResponse, at: { path: string; route: string }, error: unknown, headers: HotHeaders, started: number): void {
    const failure = failureResponse(error);
    const requestId = requestIdFor(headers.requestId);
    const request = { method: req.method!, ...at, status: failure.status, requestId };
    observer.failed(error, request);
    observer.answered({ ...request, ms: performance.now() - started, hot: false });
    if (res.headersSent) return void res.destroy();
    res.writeHead(failure.status, { ...failure.headers, ...errorHeaders(requestId) }).end(JSON.stringify(failure.body));
  }

  /** True when the lean lane took the request. */
  function lean(req: IncomingMessage, res: ServerResponse): boolean {
    const started = performance.now();
    const { path, search } = splitUrl(req.url ?? '');
    if (path !== '/api/open-classrooms' && path !== '/api/free-rooms') return false;
    const headers = hotHeaders(req);
    try {
      if (path === '/api/free-rooms') {
        const held = service.peekFreeRooms(freeRooms(search));
        if (held) write(req, res, path, held, headers, started);
        return held !== undefined;
      }
      const date = search === '' ? undefined : ONE_DATE.exec(search)?.[1];
      if (search !== '' && date === undefined) return false; // a building, or anything unusual: Koa
      const held = date === undefined ? service.peek() : service.peekDate(date);
      if (held) write(req, res, path, held, headers, started);
      else
        service
          .openClassrooms(date)
          .then((body) => write(req, res, path, body, headers, started))
          .catch((error: unknown) => writeFailure(req, res, { path, route: path }, error, headers, started));
      return true;
    } catch (error) {
      writeFailure(req, res, { path, route: path }, error, headers, started); // a bad query or a day out of range
      return true;
    }
  }

  return (req, res) => {
    const url = req.url ?? '';
    if (url.length > MAX_URL_LENGTH) {
      const tooLong = Object.assign(new Error('URI Too Long'), { status: 414, expose: true });
      return writeFailure(req, res, { path: shortened(splitUrl(url).path, LOGGED_PATH_LENGTH), route: 'other' }, tooLong, hotHeaders(req), performance.now());
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && lean(req, res)) return;
    void koa(req, res);
  };
}
