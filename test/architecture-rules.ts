import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** Globals that reach the system clock, timers, I/O or the process: the domain gets these through ports. */
const FORBIDDEN_GLOBALS = new Set([
  'Date',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'process',
  'performance',
  'fetch',
  'require',
  'globalThis',
  'global',
  'window',
  'Buffer',
  'console',
  'crypto',
  'XMLHttpRequest',
  'WebSocket',
]);

/** Where a module may import from: the domain from itself (values) and ports (types only). */
export type ImportRule = (specifier: string, typeOnly: boolean) => boolean;

export const domainImports: ImportRule = (specifier, typeOnly) => specifier.startsWith('./') || (typeOnly && specifier.startsWith('../ports/'));
export const portImports: ImportRule = (specifier, typeOnly) => typeOnly && specifier.startsWith('../domain/');

/** Every rule a source file breaks, as readable lines; empty when it keeps them all. */
export function violations(fileName: string, text: string, allowed: ImportRule, options: { typesOnly?: boolean } = {}): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const checkSpecifier = (node: ts.Node, specifier: string, typeOnly: boolean, what: string) => {
    if (!allowed(specifier, typeOnly)) found.push(`${at(node)} ${what} '${specifier}'`);
  };

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      // `import 'x'` has no clause and runs x; `import { type A } from 'x'` elides to nothing only when every name is a type.
      const typeOnly =
        !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      checkSpecifier(statement, (statement.moduleSpecifier as ts.StringLiteral).text, typeOnly, clause ? 'imports' : 'runs');
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      checkSpecifier(statement, (statement.moduleSpecifier as ts.StringLiteral).text, statement.isTypeOnly, 're-exports');
    } else if (ts.isImportEqualsDeclaration(statement)) {
      found.push(`${at(statement)} uses import = require`);
    } else if (options.typesOnly && !ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement)) {
      found.push(`${at(statement)} holds code; a port holds types only`);
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      found.push(`${at(node)} imports at run time`);
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Math' && node.name.text === 'random') {
      found.push(`${at(node)} uses Math.random`);
    } else if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node);
      if (!isMemberName) found.push(`${at(node)} uses ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Every module a file loads at run time, followed through relative imports (type-only imports and
 * re-exports are erased, so they load nothing): the project files, and what lies outside them.
 */
export function runtimeImports(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    if (file.endsWith('.json')) return;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    for (const statement of source.statements) {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        const typeOnly =
          !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
        if (!typeOnly) specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
        const clause = statement.exportClause;
        const typeOnly = !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
        if (!typeOnly) specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      }
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(entry);
  return { files: [...files], external: [...external] };
}
