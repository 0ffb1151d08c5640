// The service worker (/sw.js): after a first visit the page opens offline, with the last data it had.
// The bundler fills in the script's fingerprinted path and a version that changes with the assets.
declare const __SCRIPT__: string;
declare const __VERSION__: string;

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly location: Location;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const CACHE = `emptyclassroom-${__VERSION__}`;
const PAGE = '/';
/** A network that answers slower than this is treated as none: the kept page shows instead. */
const NAVIGATION_TIMEOUT_MS = 6000;

const OFFLINE_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>EmptyClassroom: offline</title><main><h1>Offline</h1><p>This device has no saved copy of the free rooms yet. Connect once and they will be kept for offline use.</p></main></html>`;

async function keep(key: RequestInfo, response: Response): Promise<void> {
  await (await caches.open(CACHE)).put(key, response);
}

/** The page: from the network (kept for later when it is today's), else the kept one. */
async function page(request: Request): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), NAVIGATION_TIMEOUT_MS);
  try {
    const response = await fetch(request, { signal: abort.signal });
    // A page for another day embeds that day: only today's page is kept as the offline page.
    if (response.ok && !new URL(request.url).searchParams.has('date')) await keep(PAGE, response.clone());
    return response;
  } catch {
    return (await caches.match(PAGE)) ?? new Response(OFFLINE_PAGE, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
  } finally {
    clearTimeout(timer);
  }
}

/** The data: fresh when the network answers, else the last copy kept. */
async function data(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) await keep(request, response.clone());
    return response;
  } catch {
    return (await caches.match(request)) ?? Response.error();
  }
}

/** Fingerprinted assets never change under their name. */
async function asset(request: Request): Promise<Response> {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await keep(request, response.clone());
  return response;
}

worker.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([PAGE, __SCRIPT__])).then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  const old = caches.keys().then((keys) => Promise.all(keys.filter((key) => key.startsWith('emptyclassroom-') && key !== CACHE).map((key) => caches.delete(key))));
  event.waitUntil(old.then(() => worker.clients.claim()));
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === PAGE) event.respondWith(page(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
  else if (url.pathname === '/api/open-classrooms' || url.pathname === '/api/dates') event.respondWith(data(request));
});
