// emptyclassroom/http: the API on Koa, built not started, and the server's request listener with the lean lane.
export { createHttpApp, type HttpAppOptions } from './adapters/http/http-app.ts';
export { createRequestListener } from './adapters/http/lean-lane.ts';
