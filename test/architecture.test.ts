import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { domainImports, portImports, runtimeImports, violations } from './architecture-rules.ts';

const root = join(import.meta.dirname, '..', 'src');
const sources = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') }));

describe('architecture rules', () => {
  it('keeps the domain pure: it imports only itself and types from ports, and reaches no clock, timer, I/O or process', () => {
    const domain = sources('domain');
    expect(domain.length).toBeGreaterThan(10);
    expect(domain.flatMap(({ file, text }) => violations(file, text, domainImports))).toEqual([]);
  });

  it('keeps each port a type-only file in domain terms', () => {
    const ports = sources('ports');
    expect(ports.length).toBeGreaterThanOrEqual(5);
    for (const { file } of ports) expect(file).toMatch(/-port\.ts$/);
    expect(ports.flatMap(({ file, text }) => violations(file, text, portImports, { typesOnly: true }))).toEqual([]);
  });

  it('keeps the core entry (emptyclassroom) free of any third-party module, and of node built-ins, all the way down', () => {
    const loaded = runtimeImports(join(root, 'index.ts'));
    expect(loaded.files.length).toBeGreaterThan(10);
    expect(loaded.external).toEqual([]);
  });

  it('catches what a regular expression would miss', () => {
    const broken = [
      "import 'node:fs';",
      "export { DateTime } from 'luxon';",
      "import { type A, b } from '../ports/x-port.ts';",
      "import x = require('undici');",
      'const later = () => import("ioredis");',
      'setInterval(() => {}, 1000);',
      'const t = globalThis.setTimeout;',
      'const now = Date.now();',
      'const r = Math.random();',
      'const s = { setTimeout: 1 }.setTimeout; process.exitCode = 1;',
    ].join('\n');
    const found = violations('domain/broken.ts', broken, domainImports);
    expect(found).toEqual([
      "domain/broken.ts:1 runs 'node:fs'",
      "domain/broken.ts:2 re-exports 'luxon'",
      "domain/broken.ts:3 imports '../ports/x-port.ts'",
      'domain/broken.ts:4 uses import = require',
      'domain/broken.ts:5 imports at run time',
      'domain/broken.ts:6 uses setInterval',
      'domain/broken.ts:7 uses globalThis',
      'domain/broken.ts:8 uses Date',
      'domain/broken.ts:9 uses Math.random',
      'domain/broken.ts:10 uses process',
    ]);
    expect(
      violations(
        'domain/fine.ts',
        "import type { A } from '../ports/a-port.ts';\nimport { b, type C } from './b.ts';\nexport type { A } from '../ports/a-port.ts';\nconst o = { Date: 1 }; o.Date;",
        domainImports,
      ),
    ).toEqual([]);
    expect(violations('ports/p-port.ts', "import type { A } from '../domain/a.ts';\nexport interface P { a: A }\nexport const x = 1;", portImports, { typesOnly: true })).toEqual([
      'ports/p-port.ts:3 holds code; a port holds types only',
    ]);
  });
});
