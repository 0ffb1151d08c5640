import type { OpenClassrooms } from '../../domain/organise.ts';
import { DATA_CACHE, SAVED_PAGE } from '../offline-keys.ts';
import type { PageData, SavedPage } from '../page-data.ts';

/**
 * Keeps today's answer where the service worker finds it when the network is gone: written from
 * what the page already has, so it costs no request.
 */
export async function saveForOffline(data: PageData, body: OpenClassrooms): Promise<void> {
  if (typeof caches === 'undefined' || body.date !== undefined) return; // only today's answer
  // The script and the style sheet this page runs with: the worker renders the offline page with them.
  const assets = { script: document.querySelector<HTMLScriptElement>('script[src]')!.getAttribute('src')!, css: document.querySelector('style')!.textContent! };
  const saved: SavedPage = { ...data, body, error: null, offline: false, renderedAt: Date.now(), assets };
  try {
    await (await caches.open(DATA_CACHE)).put(SAVED_PAGE, new Response(JSON.stringify(saved), { headers: { 'content-type': 'application/json' } }));
  } catch {
    // storage refused (a private window, a full quota): the page still works online
  }
}

/** Offline after a first visit: the service worker keeps the script and renders the page from the saved answer. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // no worker (an old browser, blocked): the page works online all the same
    });
  });
}
