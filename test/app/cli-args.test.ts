import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/app/admin.ts';
import { parseInvocation, usage } from '../../src/app/cli-args.ts';

/** The UsageError message that `argv` causes. */
function mistake(argv: string[]): string {
  try {
    parseInvocation(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be a usage error`);
}

describe('parseInvocation', () => {
  it('gives the general usage for stderr and exit 2 with no command, for stdout and exit 0 when help is asked for', () => {
    expect(parseInvocation([])).toEqual({ kind: 'usage', text: usage(), exitCode: 2 });
    expect(parseInvocation(['--help'])).toEqual({ kind: 'usage', text: usage(), exitCode: 0 });
    expect(parseInvocation(['-h'])).toEqual({ kind: 'usage', text: usage(), exitCode: 0 });
    expect(parseInvocation(['help'])).toEqual({ kind: 'usage', text: usage(), exitCode: 0 });
  });

  it("gives one command's usage for `COMMAND --help` and `help COMMAND`", () => {
    expect(parseInvocation(['slots', '--help'])).toEqual({ kind: 'usage', text: usage('slots'), exitCode: 0 });
    expect(parseInvocation(['help', 'refresh'])).toEqual({ kind: 'usage', text: usage('refresh'), exitCode: 0 });
    expect(usage('refresh')).toMatch(/^usage: emptyclassroom refresh \[--force\] +fetch from 25Live now/);
  });

  it('checks the command before answering --help', () => {
    expect(mistake(['bogus', '--help'])).toBe('unknown command "bogus"; try --help');
    expect(mistake(['bogus'])).toBe('unknown command "bogus"; try --help');
    expect(mistake(['help', 'bogus'])).toBe('unknown command "bogus"; try --help');
    expect(mistake(['help', 'slots', 'demo'])).toBe('usage: emptyclassroom help [COMMAND]');
  });

  it.each([
    [['clear', '--seed', '3'], 'clear does not take --seed; usage: emptyclassroom clear'],
    [['status', '--force'], 'status does not take --force; usage: emptyclassroom status [--json]'],
    [['refresh', '--json'], 'refresh does not take --json; usage: emptyclassroom refresh [--force]'],
    [['serve', '--json'], 'serve does not take --json; usage: emptyclassroom serve'],
    [['slots', 'CAS 116', '--force'], 'slots does not take --force; usage: emptyclassroom slots ROOM [--json]'],
    [['demo', '--json'], 'demo does not take --json; usage: emptyclassroom demo [--seed N]'],
    [['--json'], '--json needs a command; try --help'],
  ])('rejects an option the command does not take: %j', (argv, expected) => {
    expect(mistake(argv)).toBe(expected);
  });

  it('rejects unknown options and bad values as usage errors', () => {
    expect(mistake(['status', '--bogus'])).toMatch(/^Unknown option '--bogus'/);
    expect(mistake(['demo', '--seed'])).toMatch(/--seed/);
    expect(mistake(['demo', '--seed', 'x'])).toBe('--seed takes a whole number (got "x")');
    expect(mistake(['demo', '--seed', ' '])).toBe('--seed takes a whole number (got " ")');
    expect(mistake(['demo', '--seed', '1.5'])).toBe('--seed takes a whole number (got "1.5")');
  });

  it('makes catalog discover name the campus time zone: required, and an IANA zone', () => {
    const discover = ['catalog', 'discover', '--tenant', 'umd'];
    const oneLine = 'usage: emptyclassroom catalog discover --tenant T --time-zone ZONE [--building CODE]... [--out FILE]';
    expect(mistake(discover)).toBe(`catalog discover needs --time-zone, the campus's IANA time zone (e.g. America/Chicago); ${oneLine}`);
    for (const zone of ['Eastern', 'America/Nowhere', 'system', 'utc+3'])
      expect(mistake([...discover, '--time-zone', zone])).toBe(`--time-zone takes an IANA time zone such as America/Chicago or Europe/London (got ${JSON.stringify(zone)})`);
    expect(parseInvocation([...discover, '--time-zone', 'America/Chicago'])).toMatchObject({ command: 'catalog', subcommand: 'discover', tenant: 'umd', timeZone: 'America/Chicago' });
    expect(usage('catalog')).not.toContain('America/New_York');
  });

  it('joins the positionals of slots into one room name', () => {
    expect(parseInvocation(['slots', 'CAS', '116'])).toMatchObject({ kind: 'command', command: 'slots', room: 'CAS 116', json: false });
    expect(parseInvocation(['slots', 'CAS 116', '--json'])).toMatchObject({ room: 'CAS 116', json: true });
    expect(mistake(['slots'])).toBe('slots needs a room, e.g. slots CAS 116; usage: emptyclassroom slots ROOM [--json]');
  });

  it('rejects positionals for the commands that take none', () => {
    expect(mistake(['clear', 'now'])).toBe('clear takes no arguments (got "now"); usage: emptyclassroom clear');
    expect(mistake(['status', 'a', 'b'])).toBe('status takes no arguments (got "a" "b"); usage: emptyclassroom status [--json]');
  });

  it('reads the options a command takes', () => {
    expect(parseInvocation(['demo'])).toMatchObject({ command: 'demo', seed: 1 });
    expect(parseInvocation(['demo', '--seed', '42'])).toMatchObject({ command: 'demo', seed: 42 });
    expect(parseInvocation(['refresh', '--force'])).toMatchObject({ command: 'refresh', force: true });
    expect(parseInvocation(['status', '--json'])).toMatchObject({ command: 'status', json: true });
  });

  it('says in the help that slots on an empty cache fetches every room from 25Live itself, and that clear lifts the cooldown', () => {
    expect(usage('slots')).toContain('when the cache holds no data for today, this command itself fetches every room of the catalog from 25Live (API_URL) and stores them');
    expect(usage()).toContain('fetches every room of the catalog');
    expect(usage('clear')).toContain('lift the refresh cooldown');
  });
});
