import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { precompress } from './encoded-asset.ts';

/** The page's built assets: its script (named for its content), the service worker, the style sheet. */
export interface BuiltPage {
  /** `page-<hash>.js`. */
  scriptName: string;
  script: Buffer;
  worker: Buffer;
  css: string;
  /** Changes with any asset: the service worker keeps its caches under it. */
  version: string;
}

/** The manifest `npm run build` writes beside the built assets. */
export interface PageManifest {
  scriptName: string;
  version: string;
  css: string;
}

const hashOf = (...parts: Array<string | Uint8Array>) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 12);
};

/**
 * Bundles the browser program under `sources` (`src/page/`) with esbuild, in memory: the script
 * (an IIFE for any browser of the last few years), the service worker, and the minified CSS.
 */
export async function bundlePage(sources: URL): Promise<BuiltPage> {
  const esbuild = await import('esbuild'); // a dev dependency: built assets need no esbuild at run time
  const path = (file: string) => fileURLToPath(new URL(file, sources));
  const common = { bundle: true, minify: true, write: false, legalComments: 'none', logLevel: 'silent', target: ['chrome109', 'firefox115', 'safari16'] } satisfies BuildOptions;
  const output = (result: { outputFiles?: Array<{ contents: Uint8Array }> }) => Buffer.from(result.outputFiles![0]!.contents);
  const [css, script] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [path('page.css')] }),
    esbuild.build({ ...common, entryPoints: [path('client/main.ts')], format: 'iife', platform: 'browser' }),
  ]);
  const cssText = output(css).toString('utf8').trim();
  const scriptBytes = output(script);
  const scriptName = `page-${hashOf(scriptBytes)}.js`;
  const version = hashOf(scriptBytes, cssText);
  const worker = await esbuild.build({
    ...common,
    entryPoints: [path('worker/service-worker.ts')],
    format: 'iife',
    define: { __SCRIPT__: JSON.stringify(`/assets/${scriptName}`), __VERSION__: JSON.stringify(version) },
  });
  return { scriptName, script: scriptBytes, worker: output(worker), css: cssText, version };
}

/** Writes the assets, each with its br and gzip variants (compressed once, at the highest level), and the manifest. */
export async function writePageAssets(dir: URL, built: BuiltPage): Promise<void> {
  await rm(dir, { recursive: true, force: true }); // no script of an earlier build lingers
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of [
    [built.scriptName, built.script],
    ['sw.js', built.worker],
  ] as const) {
    const variants = precompress(bytes);
    await writeFile(new URL(name, dir), variants.identity);
    await writeFile(new URL(`${name}.br`, dir), variants.br);
    await writeFile(new URL(`${name}.gz`, dir), variants.gzip);
  }
  const manifest: PageManifest = { scriptName: built.scriptName, version: built.version, css: built.css };
  await writeFile(new URL('manifest.json', dir), `${JSON.stringify(manifest, null, 2)}\n`);
}
