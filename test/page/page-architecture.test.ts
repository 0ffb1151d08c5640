import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { violations, type ImportRule } from '../architecture-rules.ts';

const src = join(import.meta.dirname, '..', '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(join(src, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const page = files('page').map((file) => ({ file, text: readFileSync(join(src, file), 'utf8') }));

/** The browser program may import itself and the pure domain: never an adapter, node:* or a package. */
const withinPageOrDomain =
  (file: string): ImportRule =>
  (specifier) => {
    if (!specifier.startsWith('.')) return false;
    const target = relative(src, resolve(src, dirname(file), specifier));
    return target.startsWith('page/') || target.startsWith('domain/');
  };

/** What only a browser has: the pure page modules run on the server too, and take none of it. */
const BROWSER_GLOBALS = new Set(['document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'history', 'caches', 'self', 'addEventListener', 'HTMLElement', 'Element']);

function browserGlobals(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && BROWSER_GLOBALS.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} uses ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the page's architecture", () => {
  it('keeps the browser program to itself and the pure domain (no adapter, node:* or package)', () => {
    expect(page.length).toBeGreaterThan(15);
    const imports = page.flatMap(({ file, text }) => violations(file, text, withinPageOrDomain(file)).filter((line) => / (imports|runs|re-exports) /.test(line)));
    expect(imports).toEqual([]);
  });

  it('keeps the modules the server shares pure: no clock, timer, I/O, DOM or storage (the script and the worker alone touch the browser)', () => {
    const shared = page.filter(({ file }) => !file.startsWith('page/client/') && !file.startsWith('page/worker/'));
    expect(shared.length).toBeGreaterThan(10);
    expect(shared.flatMap(({ file, text }) => [...violations(file, text, withinPageOrDomain(file)), ...browserGlobals(file, text)])).toEqual([]);
  });

  it('catches an adapter, a package and the DOM', () => {
    const broken = "import { x } from '../adapters/http/http-app.ts';\nimport luxon from 'luxon';\nconst t = Date.now();\nconst d = document.title;";
    expect(violations('page/broken.ts', broken, withinPageOrDomain('page/broken.ts'))).toEqual([
      "page/broken.ts:1 imports '../adapters/http/http-app.ts'",
      "page/broken.ts:2 imports 'luxon'",
      'page/broken.ts:3 uses Date',
    ]);
    expect(browserGlobals('page/broken.ts', broken)).toEqual(['page/broken.ts:4 uses document']);
  });
});
