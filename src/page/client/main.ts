// The page's script: bundled by esbuild into /assets/page-<hash>.js, loaded with `defer`.
import type { PageData } from '../page-data.ts';
import { startPage } from './app.ts';
import { registerServiceWorker } from './offline-copy.ts';

document.documentElement.classList.add('js');
const data = JSON.parse(document.getElementById('page-data')?.textContent ?? 'null') as PageData | null;
if (data) startPage(data);
registerServiceWorker();
