#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the repository needs no build step to be used.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/app/cli.ts');
await runCli(process.argv.slice(2));
