import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { usage } from '../../src/app/cli-args.ts';

/** Runs the real executable; never reaches Redis (every case stops at the arguments). */
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/emptyclassroom.js', ...args], { env: { PATH: process.env.PATH } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe.concurrent('bin/emptyclassroom.js: streams and exit codes', () => {
  it('prints the usage to stderr and exits 2 without a command', async () => {
    expect(await cli()).toEqual({ code: 2, stdout: '', stderr: `${usage()}\n` });
  });

  it('prints help asked for to stdout and exits 0', async () => {
    expect(await cli('--help')).toEqual({ code: 0, stdout: `${usage()}\n`, stderr: '' });
    expect(await cli('slots', '--help')).toEqual({ code: 0, stdout: `${usage('slots')}\n`, stderr: '' });
  });

  it.each([
    [['bogus', '--help'], 'emptyclassroom: unknown command "bogus"; try --help\n'],
    [['clear', '--seed', '3'], 'emptyclassroom: clear does not take --seed; usage: emptyclassroom clear\n'],
    [['status', 'extra'], 'emptyclassroom: status takes no arguments (got "extra"); usage: emptyclassroom status [--json]\n'],
    [['slots', 'NOPE', '999'], 'emptyclassroom: no room "NOPE 999" in the catalog; write it as building and number, e.g. CAS 116, or a space id\n'],
  ])('exits 2 with one line on stderr for %j', async (args, stderr) => {
    expect(await cli(...args)).toEqual({ code: 2, stdout: '', stderr });
  });
});
