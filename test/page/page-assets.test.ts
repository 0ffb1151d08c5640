import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { bundlePage, writePageAssets } from '../../src/adapters/page/bundle-page.ts';
import { readPageAssets } from '../../src/adapters/page/page-assets.ts';

const SOURCES = new URL('../../src/page/', import.meta.url);

describe("the page's assets, as npm run build writes them and the built service reads them", () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('are named for their content, precompressed, and read back byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emptyclassroom-assets-'));
    dirs.push(dir);
    const out = pathToFileURL(`${dir}/`);
    const built = await bundlePage(SOURCES);
    await writePageAssets(out, built);
    await writePageAssets(out, built); // a second build leaves no stray file
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', built.scriptName, `${built.scriptName}.br`, `${built.scriptName}.gz`, 'sw.js', 'sw.js.br', 'sw.js.gz'].sort());
    const assets = await readPageAssets(out);
    expect(assets.scriptPath).toBe(`/assets/${built.scriptName}`);
    expect(assets.css).toBe(built.css);
    const script = assets.files.get(assets.scriptPath)!;
    expect(script.bytes('identity')).toEqual(built.script);
    expect(brotliDecompressSync(script.bytes('br'))).toEqual(built.script);
    expect(gunzipSync(script.bytes('gzip'))).toEqual(built.script);
    expect(script.head('identity')).toEqual(expect.arrayContaining(['Cache-Control', 'public, max-age=31536000, immutable']));
    const worker = assets.files.get('/sw.js')!;
    expect(worker.bytes('identity').toString()).toContain(assets.scriptPath);
    expect(worker.head('br')).toEqual(expect.arrayContaining(['Cache-Control', 'no-cache', 'Content-Encoding', 'br']));
  });

  it('come out the same from the same sources (a reproducible build), the version covering the style sheet too', async () => {
    const [a, b] = await Promise.all([bundlePage(SOURCES), bundlePage(SOURCES)]);
    expect(a.scriptName).toBe(b.scriptName);
    expect(a.scriptName).toMatch(/^page-[0-9a-f]{12}\.js$/);
    expect(a.version).toBe(b.version);
    expect(a.version).not.toBe(a.scriptName.slice(5, 17));
  });
});
