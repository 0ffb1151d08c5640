import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runtimeImports } from '../architecture-rules.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));

describe('the README', () => {
  it("shows exactly the example consumer's server, the code CI proves from the packed tarball", () => {
    const server = readFileSync(new URL('../../examples/consumer/src/server.ts', import.meta.url), 'utf8');
    expect(blocks.some((block) => block.lang === 'ts' && block.body === server)).toBe(true);
  });

  it("lists every status openapi.yaml describes in the API section's table", async () => {
    const { spec } = await import('./openapi-support.ts');
    const api = readme.slice(readme.indexOf('\n## API\n'), readme.indexOf('\n### For operators'));
    const operations = Object.values<Record<string, { responses: object }>>(spec.paths).flatMap((item) => Object.values(item));
    const statuses = new Set([...operations, spec['x-any-path']].flatMap((entry) => Object.keys(entry.responses)));
    expect(statuses.size).toBeGreaterThanOrEqual(12);
    for (const status of statuses) expect(api, status).toContain(`| \`${status}\` |`);
  });

  it('names, to install from the package, the libraries serve and the demo load, as the bin and the optional peers do', () => {
    const packageOf = (specifier: string) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
    const librariesOf = (entry: string) =>
      runtimeImports(fileURLToPath(new URL(`../../src/${entry}`, import.meta.url)))
        .external.filter((specifier) => !specifier.startsWith('node:'))
        .map(packageOf);
    // What the CLI loads at start, the demo beside it, and the stores chosen when no Redis is configured.
    const loaded = [...new Set(['app/run-cli.ts', 'app/demo.ts', 'adapters/embedded-redis.ts', 'adapters/memory-store.ts'].flatMap(librariesOf))].sort();
    expect(loaded).toContain('koa');
    const listed = (text: string | undefined) => (text ?? '').trim().split(/\s+/).sort();
    expect(listed(/npm install \.\/emptyclassroom-0\.1\.0\.tgz ([^\n`]+)/.exec(readme)?.[1]), 'the README').toEqual(loaded);
    const bin = readFileSync(new URL('../../bin/emptyclassroom.js', import.meta.url), 'utf8');
    expect(listed(/npm install ([^"(]+) \(and redis-memory-server/.exec(bin)?.[1]), 'bin/emptyclassroom.js').toEqual(loaded);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const name of [...loaded, 'redis-memory-server']) {
      expect(pkg.peerDependencies[name], name).toBe(pkg.devDependencies[name]);
      expect(pkg.peerDependenciesMeta[name], name).toEqual({ optional: true });
    }
  });

  it('names every configuration variable the service reads, in its table', async () => {
    const { loadConfig } = await import('../../src/app/config.ts');
    for (const variable of Object.keys(loadConfig({}))) expect(readme, variable).toContain(`| \`${variable}\` |`);
  });
});
