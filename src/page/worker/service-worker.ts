// The service worker (/sw.js): it keeps the page's script (the shell) and the last answers, and when
// the network is gone renders the page from them with the server's own renderer.
import { campusMinute } from '../campus-time.ts';
import { contentPolicy } from '../content-policy.ts';
import { assetCache, DATA_CACHE, FROM_CACHE_HEADER, SAVED_PAGE } from '../offline-keys.ts';
import type { PageData, SavedPage } from '../page-data.ts';
import { renderPage } from '../render-page.ts';
import { parseViewState } from '../view-state.ts';
import type { FetchEvent, WorkerScope } from './worker-types.ts';

// Filled in by the bundler.
declare const __SCRIPT__: string;
declare const __VERSION__: string;

const worker = self as unknown as WorkerScope;
const ASSETS = assetCache(__VERSION__);
/** A network slower than this to answer is treated as none: the saved page shows instead. */
const NAVIGATION_TIMEOUT_MS = 6000;
const HTML = 'text/html; charset=utf-8';

const NOTHING_SAVED = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>EmptyClassroom: offline</title><main><h1>Offline</h1><p>This device has no saved copy of the free rooms yet. Open the page once online and it will be kept for offline use.</p></main></html>`;

const saved = async <T>(key: string): Promise<T | null> => (await (await caches.open(DATA_CACHE)).match(key))?.json() ?? null;

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

/** The page from the last answers kept, marked offline, for the view the URL asks for. */
async function offlinePage(url: URL): Promise<Response> {
  const data = await saved<SavedPage>(SAVED_PAGE).catch(() => null);
  if (!data?.body) return new Response(NOTHING_SAVED, { status: 503, headers: { 'content-type': HTML } });
  const state = parseViewState(url.search, data.dates);
  const day = state.date === null ? null : await saved<PageData['body']>(`/api/open-classrooms?date=${state.date}`).catch(() => null);
  const html = renderPage({
    data: { ...data, body: day ?? data.body, offline: true },
    state: day ? state : { ...state, date: null },
    now: campusMinute(Date.now(), data.timeZone),
    assets: data.assets,
  });
  return new Response(html, { headers: { 'content-type': HTML, 'content-security-policy': contentPolicy(await sha256(data.assets.css)) } });
}

async function page(request: Request): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), NAVIGATION_TIMEOUT_MS);
  try {
    return await fetch(request, { signal: abort.signal });
  } catch {
    return offlinePage(new URL(request.url));
  } finally {
    clearTimeout(timer);
  }
}

/** The data: fresh when the network answers (and kept), else the last copy kept. */
async function data(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(DATA_CACHE)).put(request, response.clone());
    return response;
  } catch {
    const kept = await caches.match(request, { cacheName: DATA_CACHE });
    if (!kept) return Response.error();
    const headers = new Headers(kept.headers);
    headers.set(FROM_CACHE_HEADER, '1');
    return new Response(kept.body, { status: kept.status, headers });
  }
}

/** Fingerprinted assets never change under their name: kept the first time they pass. */
async function asset(request: Request): Promise<Response> {
  const kept = await caches.match(request, { cacheName: ASSETS });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(ASSETS)).put(request, response.clone());
  return response;
}

worker.addEventListener('install', (event) => {
  // The page has just loaded the script: it is taken from the HTTP cache, never fetched a second
  // time (a first visit stays at three requests). Not there (a cache disabled)? Kept on its next pass.
  const script = new Request(__SCRIPT__, { cache: 'only-if-cached', mode: 'same-origin' });
  const keepScript = fetch(script)
    .then(async (response) => (response.ok ? (await caches.open(ASSETS)).put(__SCRIPT__, response) : undefined))
    .catch(() => {});
  event.waitUntil(keepScript.then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  const old = caches.keys().then((keys) => Promise.all(keys.filter((key) => key.startsWith('emptyclassroom-assets-') && key !== ASSETS).map((key) => caches.delete(key))));
  event.waitUntil(old.then(() => worker.clients.claim()));
});

worker.addEventListener('fetch', (event: FetchEvent) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === '/') event.respondWith(page(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
  else if (url.pathname === '/api/open-classrooms' || url.pathname === '/api/dates') event.respondWith(data(request));
});
