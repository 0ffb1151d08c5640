import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));

describe('the README', () => {
  it("shows exactly the example consumer's server, the code CI proves from the packed tarball", () => {
    const server = readFileSync(new URL('../../examples/consumer/src/server.ts', import.meta.url), 'utf8');
    expect(blocks.some((block) => block.lang === 'ts' && block.body === server)).toBe(true);
  });

  it('names every configuration variable the service reads, in its table', async () => {
    const { loadConfig } = await import('../../src/app/config.ts');
    for (const variable of Object.keys(loadConfig({}))) expect(readme, variable).toContain(`| \`${variable}\` |`);
  });
});
