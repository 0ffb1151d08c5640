import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', 'src');
const sources = (dir: string) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts')).map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') }));

describe('architecture rules', () => {
  it('keeps the domain pure: it imports only itself and types from ports, and never reads the system clock', () => {
    const domain = sources('domain');
    expect(domain.length).toBeGreaterThan(5);
    for (const { file, text } of domain) {
      const imports = [...text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+['"]([^'"]+)['"]/gm)];
      for (const [, typeOnly, target] of imports) {
        const allowed = target!.startsWith('./') || (typeOnly !== undefined && target!.startsWith('../ports/'));
        expect(allowed, `${file} imports ${target}`).toBe(true);
      }
      expect(text, file).not.toMatch(/Date\.now\(|new Date\(|Date\.parse\(|require\(|\bprocess\.(env|exit|hrtime|nextTick)|setTimeout|Math\.random/);
    }
  });

  it('keeps each port a type-only file in domain terms', () => {
    for (const { file, text } of sources('ports')) {
      expect(file).toMatch(/-port\.ts$/);
      for (const [, target] of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) expect(target, file).toMatch(/^\.\.\/domain\//);
      expect(text, file).not.toMatch(/ioredis|undici|luxon|koa/i);
    }
  });
});
