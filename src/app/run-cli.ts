// Entry point of the built CLI (`node dist/app/run-cli.js`), what `npm start` and `npm run demo` run.
import { runCli } from './cli.ts';

await runCli(process.argv.slice(2));
