// The page's script: bundled by esbuild into /assets/page-<hash>.js, loaded with `defer`.
import type { PageData } from '../page-data.ts';
import { startPage } from './app.ts';

document.documentElement.classList.add('js');
const data = JSON.parse(document.getElementById('page-data')?.textContent ?? 'null') as PageData | null;
if (data) startPage(data);

// Offline after a first visit: the service worker keeps the page, its script and the data.
if ('serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // no worker (a private window, an old browser): the page works online all the same
    });
  });
}
