import { parseArgs } from 'node:util';
import { isKnownZone } from '../adapters/campus-clock.ts';
import { UsageError } from './admin.ts';

type OptionName = 'json' | 'force' | 'seed' | 'tenant' | 'building' | 'out' | 'time-zone' | 'school' | 'origin' | 'date';

interface CommandSpec {
  synopsis: string;
  summary: string;
  /** The options it takes besides --help; any other is a usage error. */
  options: readonly OptionName[];
  /** Its positionals, joined with spaces, name a room; commands without this take none. */
  takesRoom?: true;
  /** Its one positional names one of these. */
  subcommands?: readonly string[];
  notes?: readonly string[];
}

const COMMANDS = {
  serve: { synopsis: 'serve', summary: 'run the HTTP service (PORT, REDIS_URL, API_URL, ...; see README)', options: [] },
  demo: { synopsis: 'demo [--seed N]', summary: 'run offline: embedded Redis + the 25Live simulator, on PORT (8000)', options: ['seed'] },
  status: { synopsis: 'status [--json]', summary: 'last refresh, its age, freshness for today, key TTLs, cooldown', options: ['json'] },
  refresh: { synopsis: 'refresh [--force]', summary: 'fetch from 25Live now; respects the cooldown unless --force', options: ['force'] },
  clear: { synopsis: 'clear', summary: 'delete the cache keys and lift the refresh cooldown, so the next request fetches afresh', options: [] },
  slots: {
    synopsis: 'slots ROOM [--json]',
    summary: "one room's free slots today, e.g. slots CAS 116",
    options: ['json'],
    takesRoom: true,
    notes: ['when the cache holds no data for today, this command itself fetches every room of the catalog from 25Live (API_URL) and stores them'],
  },
  catalog: {
    synopsis: 'catalog discover --tenant T --time-zone ZONE [--building CODE]... [--out FILE]',
    summary: "write a catalog from a 25Live tenant's location list (names, space ids, buildings, capacity, features)",
    options: ['tenant', 'building', 'out', 'time-zone', 'school', 'origin'],
    subcommands: ['discover'],
    notes: [
      "pages through list/listdata.json one request at a time; --time-zone is the campus's IANA zone (e.g. America/Chicago); --origin (default API_URL's, else https://25live.collegenet.com), --school",
    ],
  },
  'compare-sources': {
    synopsis: 'compare-sources [--date YYYY-MM-DD] [--json]',
    summary: 'ask the availability view and the batched reservations view for one day and list the rooms whose free slots differ, and why',
    options: ['date', 'json'],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

const entry = (spec: CommandSpec) => [`${spec.synopsis.padEnd(22)}${spec.summary}`, ...(spec.notes ?? []).map((note) => `${' '.repeat(22)}${note}`)];

/** One command's usage, or every command's. */
export function usage(command?: CommandName): string {
  if (command)
    return entry(COMMANDS[command])
      .map((line, n) => (n === 0 ? `usage: emptyclassroom ${line}` : `${' '.repeat(22)}${line}`))
      .join('\n');
  return [
    'usage: emptyclassroom <command> [options]',
    '',
    ...Object.values(COMMANDS).flatMap((spec) => entry(spec).map((line) => `  ${line}`)),
    '',
    'status, refresh, clear and slots use REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS) with API_URL (default: the real 25Live);',
    'with none of those set, the embedded Redis and the simulator of a running demo.',
  ].join('\n');
}

export type Invocation =
  /** Help asked for (stdout, exit 0), or no command given (stderr, exit 2). */
  | { kind: 'usage'; text: string; exitCode: 0 | 2 }
  | {
      kind: 'command';
      command: CommandName;
      json: boolean;
      force: boolean;
      seed: number;
      room: string;
      subcommand?: string;
      tenant?: string;
      buildings: string[];
      out?: string;
      timeZone?: string;
      school?: string;
      origin?: string;
      date?: string;
    };

const PARSE_ERRORS = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE']);

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        force: { type: 'boolean' },
        seed: { type: 'string' },
        tenant: { type: 'string' },
        building: { type: 'string', multiple: true },
        out: { type: 'string' },
        'time-zone': { type: 'string' },
        school: { type: 'string' },
        origin: { type: 'string' },
        date: { type: 'string' },
      },
    });
  } catch (error) {
    if (PARSE_ERRORS.has((error as { code?: string }).code ?? '')) throw new UsageError((error as Error).message);
    throw error;
  }
}

/** Reads argv into what to do; every mistake is a one-line UsageError. */
export function parseInvocation(argv: string[]): Invocation {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  const given = (Object.keys(values) as Array<keyof typeof values>).filter((name) => name !== 'help');
  if (command === undefined) {
    if (given.length > 0) throw new UsageError(`--${given[0]} needs a command; try --help`);
    return { kind: 'usage', text: usage(), exitCode: values.help ? 0 : 2 };
  }
  if (command === 'help') {
    const [topic, ...more] = rest;
    if (more.length > 0 || given.length > 0) throw new UsageError('usage: emptyclassroom help [COMMAND]');
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}"; try --help`);
    return { kind: 'usage', text: usage(topic), exitCode: 0 };
  }
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}"; try --help`);
  if (values.help) return { kind: 'usage', text: usage(command), exitCode: 0 };

  const spec: CommandSpec = COMMANDS[command];
  const oneLine = `usage: emptyclassroom ${spec.synopsis}`;
  const foreign = given.find((name) => !spec.options.includes(name));
  if (foreign) throw new UsageError(`${command} does not take --${foreign}; ${oneLine}`);
  const room = spec.takesRoom ? rest.join(' ').trim() : '';
  const [subcommand, ...extra] = spec.subcommands ? rest : [];
  if (spec.takesRoom && room === '') throw new UsageError(`${command} needs a room, e.g. ${command} CAS 116; ${oneLine}`);
  if (spec.subcommands && (subcommand === undefined || !spec.subcommands.includes(subcommand) || extra.length > 0))
    throw new UsageError(`${command} takes one of: ${spec.subcommands.join(', ')}; ${oneLine}`);
  if (!spec.takesRoom && !spec.subcommands && rest.length > 0) throw new UsageError(`${command} takes no arguments (got ${rest.map((arg) => JSON.stringify(arg)).join(' ')}); ${oneLine}`);
  if (values.seed !== undefined && !/^-?\d{1,15}$/.test(values.seed)) throw new UsageError(`--seed takes a whole number (got ${JSON.stringify(values.seed)})`);
  if (command === 'catalog' && !values.tenant) throw new UsageError(`catalog discover needs --tenant, the 25Live tenant (e.g. bu); ${oneLine}`);
  // The location list does not say where the campus is, and no zone is everyone's: the operator names it.
  if (command === 'catalog' && !values['time-zone']) throw new UsageError(`catalog discover needs --time-zone, the campus's IANA time zone (e.g. America/Chicago); ${oneLine}`);
  if (values['time-zone'] !== undefined && !isKnownZone(values['time-zone']))
    throw new UsageError(`--time-zone takes an IANA time zone such as America/Chicago or Europe/London (got ${JSON.stringify(values['time-zone'])})`);
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`--date takes YYYY-MM-DD (got ${JSON.stringify(values.date)})`);
  const optional = (name: string, value: string | undefined) => (value === undefined ? {} : { [name]: value });
  return {
    kind: 'command',
    command,
    json: values.json === true,
    force: values.force === true,
    seed: Number(values.seed ?? 1),
    room,
    buildings: values.building ?? [],
    ...optional('subcommand', subcommand),
    ...optional('tenant', values.tenant),
    ...optional('out', values.out),
    ...optional('timeZone', values['time-zone']),
    ...optional('school', values.school),
    ...optional('origin', values.origin),
    ...optional('date', values.date),
  };
}
