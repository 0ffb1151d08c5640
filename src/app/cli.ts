import { findClassroom } from '../domain/catalog.ts';
import { remainingMinutes } from '../domain/cooldown.ts';
import { adminCatalog, UsageError, withAdminService } from './admin.ts';
import { compareCommand, discoverCommand } from './cli-upstream.ts';
import { parseInvocation } from './cli-args.ts';
import { formatRoom, formatStatus } from './cli-format.ts';
import { loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { startService, type RunningService } from './main.ts';

/**
 * Runs a server until SIGTERM or SIGINT (or, under `npx`, until the npx that started it is gone:
 * npm does not pass a SIGTERM on through the shell it runs the command in), then closes everything.
 */
async function runServer(start: (config: Config, stop: (code: number) => void) => Promise<RunningService>, config: Config, logger: Logger): Promise<void> {
  let running: RunningService | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await running?.close();
    process.exit(code);
  };
  running = await start(config, (code) => void stop(code));
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGINT', () => void stop(0));
  if (process.env.npm_command === 'exec') {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid === parent) return;
      logger.info('the npx that started this process is gone: stopping');
      void stop(0);
    }, 500).unref();
  }
}

/** Runs one command; resolves to the process exit code. */
export async function main(argv: string[], env = process.env): Promise<number> {
  const invocation = parseInvocation(argv);
  if (invocation.kind === 'usage') {
    if (invocation.exitCode === 0) console.log(invocation.text);
    else console.error(invocation.text);
    return invocation.exitCode;
  }
  const { command, json, force, seed, room } = invocation;
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  switch (command) {
    case 'serve':
      await runServer((c) => startService(c, logger), config, logger);
      return 0;
    case 'demo': {
      // Loaded only here: `serve` should not carry the simulator's code in its memory.
      const { startDemo } = await import('./demo.ts');
      const onFatal = (stop: (code: number) => void) => (why: string) => {
        logger.error(`demo: ${why}; the demo cannot go on without it and stops`);
        stop(1);
      };
      await runServer((c, stop) => startDemo(c, logger, { seed, onFatal: onFatal(stop) }), config, logger);
      return 0;
    }
    case 'status':
      return withAdminService(config, env, async (core) => {
        const status = await core.status();
        console.log(json ? JSON.stringify(status, null, 2) : formatStatus(status));
        return 0;
      });
    case 'refresh':
      return withAdminService(config, env, async ({ service }) => {
        const outcome = await service.refresh({ force });
        if (outcome.kind === 'cooling') {
          console.error(`Refresh cooldown active. Please wait ${remainingMinutes(outcome.remainingMs, 1).toFixed(1)} more minutes (or use --force).`);
          return 1;
        }
        if (outcome.kind === 'backoff') {
          console.error(`25Live failed recently; the service does not ask it again for ${Math.ceil(outcome.retryAfterMs / 1000)} more seconds (use --force, or clear).`);
          return 1;
        }
        console.log(`refreshed at ${outcome.at}`);
        return 0;
      });
    case 'clear':
      return withAdminService(config, env, async ({ cache }) => {
        await cache.clear();
        console.log('cleared classrooms:availability and classrooms:last_refresh, so the next request fetches afresh; the refresh cooldown and any backoff are lifted');
        return 0;
      });
    case 'slots':
      return slots(room, json, config, env);
    case 'catalog':
      return discoverCommand(invocation, config);
    case 'compare-sources':
      return compareCommand(invocation.date, json, config);
  }
}

async function slots(query: string, json: boolean, config: Config, env: Record<string, string | undefined>): Promise<number> {
  const catalog = await adminCatalog(config);
  const room = findClassroom(catalog, query);
  const example = catalog.classrooms[0]!;
  if (!room) throw new UsageError(`no room "${query}" in the catalog; write it as building and number, e.g. ${example.building} ${example.name}, or a space id`);
  return withAdminService(config, env, async ({ service }) => {
    const body = await service.openClassrooms();
    const view = body.buildings[room.building]?.classrooms.find((r) => r.id === String(room.spaceId));
    if (!view) throw new Error(`room ${room.spaceId} is missing from the answer`);
    console.log(json ? JSON.stringify({ building: room.building, ...view, last_updated: body.last_updated }) : formatRoom(`${room.building} ${room.name}`, view));
    return 0;
  });
}

/** The `emptyclassroom` executable: one-line errors, exit 2 for usage mistakes and 1 for failures. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code !== 0) process.exitCode = code;
  } catch (error) {
    // A public message such as "Redis read failed" keeps its reason in `cause`: an operator wants both.
    const reason = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    console.error(`emptyclassroom: ${error instanceof Error ? error.message : String(error)}${reason}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
