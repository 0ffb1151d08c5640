import { parseArgs } from 'node:util';
import { findClassroom } from '../domain/catalog.ts';
import { remainingMinutes } from '../domain/cooldown.ts';
import { UsageError, withAdminService } from './admin.ts';
import { BU_CATALOG } from './catalog.ts';
import { formatRoom, formatStatus } from './cli-format.ts';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { startService, type RunningService } from './main.ts';

const HELP: Record<string, string> = {
  serve: 'serve                 run the HTTP service (PORT, REDIS_URL, API_URL, ...; see README)',
  demo: 'demo [--seed N]       run offline: embedded Redis + the 25Live simulator, on PORT (8000)',
  status: 'status [--json]       last refresh, its age, freshness for today, key TTLs, cooldown',
  refresh: 'refresh [--force]     fetch from 25Live now; respects the cooldown unless --force',
  clear: 'clear                 delete the cache keys, so the next request fetches afresh',
  slots: 'slots ROOM [--json]   one room\'s free slots today, e.g. slots "CAS 116"',
};

const usage = (command?: string) =>
  command && HELP[command]
    ? `usage: emptyclassroom ${HELP[command]}`
    : ['usage: emptyclassroom <command> [options]', '', ...Object.values(HELP).map((line) => `  ${line}`), '', 'Management commands use REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS) and API_URL, else those of a running demo.'].join('\n');

async function runServer(start: (config: Config) => Promise<RunningService>, config: Config): Promise<void> {
  const running = await start(config);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Runs one command; resolves to the process exit code. */
export async function main(argv: string[], env = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' }, force: { type: 'boolean' }, seed: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === 'help' || command === undefined) {
    console.log(usage(command === 'help' ? rest[0] : command));
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!HELP[command]) throw new UsageError(`unknown command "${command}"; try --help`);
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  switch (command) {
    case 'serve':
      await runServer((c) => startService(c, logger), config);
      return 0;
    case 'demo': {
      const seed = values.seed === undefined ? 1 : Number(values.seed);
      if (!Number.isInteger(seed)) throw new UsageError('--seed takes a whole number');
      // Loaded only here: `serve` should not carry the simulator's code in its memory.
      const { startDemo } = await import('./demo.ts');
      await runServer((c) => startDemo(c, logger, { seed }), config);
      return 0;
    }
    case 'status':
      return withAdminService(config, env, async (service) => {
        const status = await service.status();
        console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
        return 0;
      });
    case 'refresh':
      return withAdminService(config, env, async (service) => {
        const outcome = await service.refresh({ force: values.force });
        if (outcome.kind === 'cooling') {
          console.error(`Refresh cooldown active. Please wait ${remainingMinutes(outcome.remainingMs, 1).toFixed(1)} more minutes (or use --force).`);
          return 1;
        }
        console.log(`refreshed at ${outcome.at}`);
        return 0;
      });
    case 'clear':
      return withAdminService(config, env, async (service) => {
        await service.clear();
        console.log('cleared classrooms:availability and classrooms:last_refresh; the next request fetches afresh');
        return 0;
      });
    default:
      return slots(rest[0], values.json === true, config, env);
  }
}

async function slots(query: string | undefined, json: boolean, config: Config, env: Record<string, string | undefined>): Promise<number> {
  if (!query) throw new UsageError(usage('slots'));
  const room = findClassroom(BU_CATALOG, query);
  if (!room) throw new UsageError(`no room "${query}" in the catalog; write it as building and number, e.g. "CAS 116", or a space id`);
  return withAdminService(config, env, async (service) => {
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
    console.error(`emptyclassroom: ${error instanceof Error ? error.message : String(error)}`);
    const code = (error as { code?: string }).code;
    process.exitCode = error instanceof UsageError || code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? 2 : 1;
  }
}
