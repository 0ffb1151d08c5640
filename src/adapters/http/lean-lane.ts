import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ClassroomService } from '../../domain/classroom-service.ts';
import type { FreeRoomsQuery } from '../../domain/day-views.ts';
import { encodeBody } from './encoded-body.ts';
import { failureResponse } from './error-middleware.ts';
import { createHttpApp, type HttpAppOptions } from './http-app.ts';
import { freeRoomsQuery, parseSearch } from './query.ts';
import { writeEncoded } from './write-encoded.ts';

const ONE_DATE = /^date=(\d{4}-\d{2}-\d{2})$/;
/** Query strings of free-rooms requests, read once each (clients repeat the same few). */
const QUERIES_KEPT = 500;

/**
 * The server's request listener. The answers students ask for most (today's, one day's, the rooms
 * free at a time) go straight out of the held snapshot, their bytes built once, with no Koa, no
 * Redis and no serialising per request; a cold stampede waits here too, cheaply. Everything else
 * goes through the Koa app.
 */
export function createRequestListener(service: ClassroomService, options: HttpAppOptions = {}): RequestListener {
  const koa = createHttpApp(service, options).callback();
  const report = options.onError ?? (() => {});
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

  function writeFailure(res: ServerResponse, error: unknown): void {
    const failure = failureResponse(error);
    report(error, failure.status);
    if (res.headersSent) res.destroy();
    else res.writeHead(failure.status, { ...failure.headers, 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }).end(JSON.stringify(failure.body));
  }

  /** True when the lean lane took the request. */
  function lean(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const search = mark < 0 ? '' : url.slice(mark + 1);
    try {
      if (path === '/api/open-classrooms') {
        const date = search === '' ? undefined : ONE_DATE.exec(search)?.[1];
        if (search !== '' && date === undefined) return false; // a building, or anything unusual: Koa
        const held = date === undefined ? service.peek() : service.peekDate(date);
        if (held) writeEncoded(req, res, encodeBody(held));
        else
          service
            .openClassrooms(date)
            .then((body) => writeEncoded(req, res, encodeBody(body)))
            .catch((error: unknown) => writeFailure(res, error));
        return true;
      }
      if (path === '/api/free-rooms') {
        const held = service.peekFreeRooms(freeRooms(search));
        if (held) writeEncoded(req, res, encodeBody(held));
        return held !== undefined;
      }
    } catch (error) {
      writeFailure(res, error); // a bad query or a day out of range
      return true;
    }
    return false;
  }

  return (req, res) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && lean(req, res)) return;
    void koa(req, res);
  };
}
