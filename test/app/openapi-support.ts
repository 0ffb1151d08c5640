// openapi.yaml as the tests read it: where it describes the answer a real request got, and the
// check of that answer (its status described, its required headers there, its JSON body valid).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { parse } from 'yaml';

type Entry = Record<string, any>;

export const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(spec, 'openapi');
const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** A response entry with a `$ref` to a component followed, and where it sits in the document. */
function follow(entry: Entry | undefined, at: string[]): { response: Entry; at: string[] } | undefined {
  if (!entry) return undefined;
  if (!entry.$ref) return { response: entry, at };
  const name = String(entry.$ref).split('/').pop()!;
  return { response: spec.components.responses[name], at: ['components', 'responses', name] };
}

/**
 * Where openapi.yaml describes the answer `status` to `method path`: the operation's own response;
 * for a method the path lacks, the one every operation of the path lists (its 405); else `x-any-path`,
 * except a 404 for a path it describes.
 */
export function documented(path: string, method: string, status: number): { response: Entry; at: string[] } | undefined {
  const code = String(status);
  const item: Record<string, Entry> | undefined = spec.paths[path];
  const operation = item?.[method];
  if (operation) return follow(operation.responses[code], ['paths', path, method, 'responses', code]);
  const listed = Object.entries(item ?? {}).map(([other, op]) => follow(op.responses[code], ['paths', path, other, 'responses', code]));
  if (listed.length > 0 && listed.every(Boolean)) return listed[0];
  if (item && status === 404) return undefined;
  return follow(spec['x-any-path']?.responses?.[code], ['x-any-path', 'responses', code]);
}

export interface Answer {
  status: number;
  header(name: string): string | null | undefined;
  body: string;
}

/** A real answer checked against its description; `request` names it in the failure messages. */
export function expectDescribed(request: string, path: string, method: string, answer: Answer): void {
  const described = documented(path, method, answer.status);
  expect(described, `${request} answered ${answer.status}, which openapi.yaml does not describe`).toBeDefined();
  const { response, at } = described!;
  for (const [name, header] of Object.entries<Entry>(response.headers ?? {})) {
    const required = header.$ref ? spec.components.headers[String(header.$ref).split('/').pop()!].required : header.required;
    if (required) expect(answer.header(name), `${request} ${answer.status}: header ${name}`).toBeTruthy();
  }
  if (!response.content) return void expect(answer.body, `${request} ${answer.status} has no body`).toBe('');
  if (!response.content['application/json']?.schema) return;
  const validate = ajv.compile({ $ref: `openapi#/${pointer(...at, 'content', 'application/json', 'schema')}` });
  expect(validate(JSON.parse(answer.body)), `${request} ${answer.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** Real requests to a running service, each checked against its description and remembered as `method path status`. */
export function describedRequests(baseUrl: () => string) {
  const seen: string[] = [];
  async function check(method: string, path: string, query = '', options: { headers?: Record<string, string>; base?: string } = {}): Promise<void> {
    const res = await fetch(`${options.base ?? baseUrl()}${path}${query}`, { method: method.toUpperCase(), ...(options.headers ? { headers: options.headers } : {}) });
    const body = await res.text();
    expectDescribed(`${method.toUpperCase()} ${path}${query.slice(0, 40)}`, path, method, { status: res.status, header: (name) => res.headers.get(name), body });
    seen.push(`${method} ${path} ${res.status}`);
  }
  return { check, seen };
}
