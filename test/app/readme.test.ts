import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

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

  it('names every configuration variable the service reads, in its table', async () => {
    const { loadConfig } = await import('../../src/app/config.ts');
    for (const variable of Object.keys(loadConfig({}))) expect(readme, variable).toContain(`| \`${variable}\` |`);
  });
});
