#!/usr/bin/env node
// The `emptyclassroom` executable. From the package it runs the built code; in a checkout of the
// repository (src/ is there), the TypeScript source through tsx, so no build step is needed there.
import { existsSync } from 'node:fs';

const source = new URL('../src/app/cli.ts', import.meta.url);
let runCli;
try {
  if (existsSync(source)) {
    const { register } = await import('tsx/esm/api');
    register();
    ({ runCli } = await import(source.href));
  } else {
    ({ runCli } = await import('../dist/app/cli.js'));
  }
} catch (error) {
  // The service's libraries are optional peers of the package: name the missing one and how to add it.
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find (?:package|module) '([^']+)'/.exec(error.message)?.[1];
  if (!missing) throw error;
  console.error(`emptyclassroom: the service needs the library "${missing}", which is not installed.`);
  console.error(
    "Install the service's libraries beside it: npm install @koa/cors @koa/router ioredis koa luxon negotiator p-limit pino prom-client undici yaml zod (and redis-memory-server for an embedded Redis, when no Redis is configured)",
  );
  process.exit(1);
}
await runCli(process.argv.slice(2));
