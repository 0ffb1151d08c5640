// `npm run build`'s second step: bundles the page's script, service worker and style sheet with
// esbuild into dist/page-assets (each with br and gzip beside it), where the built service reads them.
import { bundlePage, writePageAssets } from '../src/adapters/page/bundle-page.ts';

const built = await bundlePage(new URL('../src/page/', import.meta.url));
await writePageAssets(new URL('../dist/page-assets/', import.meta.url), built);
console.log(`page assets: dist/page-assets/${built.scriptName} (${built.script.length} bytes), sw.js (${built.worker.length} bytes), ${built.css.length} bytes of CSS inlined`);
