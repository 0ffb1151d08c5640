import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { EncodedBody } from '../http/encoded-body.ts';
import { bundlePage, type BuiltPage, type PageManifest } from './bundle-page.ts';
import type { Variants } from '../http/encoded-body.ts';
import { encodeAsset, precompress } from './encoded-asset.ts';
import { pagePolicy } from './page-policy.ts';

/** The page's assets as the server holds them. */
export interface PageAssets {
  /** `/assets/page-<hash>.js`. */
  scriptPath: string;
  css: string;
  /** The Content-Security-Policy of a page that inlines `css`. */
  policy: string;
  /** Path → bytes: the script and `/sw.js`. */
  files: Map<string, EncodedBody>;
}

/** Where `npm run build` puts them: dist/page-assets beside dist/adapters. From the sources there is none. */
const BUILT = new URL('../../page-assets/', import.meta.url);
const SOURCES = new URL('../../page/', import.meta.url);

const IMMUTABLE = 'public, max-age=31536000, immutable';

type Loaded = { manifest: PageManifest; script: Variants; worker: Variants };

async function readBuilt(dir: URL): Promise<Loaded> {
  const manifest = JSON.parse(await readFile(new URL('manifest.json', dir), 'utf8')) as PageManifest;
  const variants = async (name: string): Promise<Variants> => ({
    identity: await readFile(new URL(name, dir)),
    br: await readFile(new URL(`${name}.br`, dir)),
    gzip: await readFile(new URL(`${name}.gz`, dir)),
  });
  return { manifest, script: await variants(manifest.scriptName), worker: await variants('sw.js') };
}

async function bundled(): Promise<Loaded> {
  let built: BuiltPage;
  try {
    built = await bundlePage(SOURCES);
  } catch (error) {
    throw new Error('the page assets are not built and could not be bundled from the sources: run npm run build', { cause: error });
  }
  return { manifest: built, script: precompress(built.script), worker: precompress(built.worker) };
}

function served({ manifest, script, worker }: Loaded): PageAssets {
  const scriptPath = `/assets/${manifest.scriptName}`;
  return {
    scriptPath,
    css: manifest.css,
    policy: pagePolicy(manifest.css),
    files: new Map([
      [scriptPath, encodeAsset(script, { contentType: 'text/javascript; charset=utf-8', cacheControl: IMMUTABLE })],
      // The worker keeps its name (browsers look for updates at the same URL): revalidated each time.
      ['/sw.js', encodeAsset(worker, { contentType: 'text/javascript; charset=utf-8', cacheControl: 'no-cache' })],
    ]),
  };
}

/** The assets `npm run build` wrote into `dir`, precompressed variants and all. */
export const readPageAssets = async (dir: URL): Promise<PageAssets> => served(await readBuilt(dir));

let loading: Promise<PageAssets> | undefined;

/**
 * The assets `npm run build` wrote (the built service), else bundled from the sources once per
 * process (tests and tsx run from the sources, so they always get the current script).
 */
export function loadPageAssets(): Promise<PageAssets> {
  loading ??= existsSync(new URL('manifest.json', BUILT)) ? readPageAssets(BUILT) : bundled().then(served);
  return loading;
}
