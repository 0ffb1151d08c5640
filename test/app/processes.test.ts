// The service's executables as an operator runs them: the demo with no redis-server, the demo whose
// Redis dies, and `npx emptyclassroom serve` stopped with a signal. Real processes throughout.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT, servedRooms, startDemoProcess, stopAllServices, waitFor } from '../faults/harness.ts';

/** The pids of a process's descendants, read from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(/\) \S+ (\d+)/.exec(stat)?.[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const comm = (pid: number) =>
  readFile(`/proc/${pid}/comm`, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );

describe('the executables, as an operator runs them', { timeout: 60_000 }, () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'emptyclassroom-processes-'));
  });
  afterEach(() => stopAllServices());
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('the demo runs where only Node is installed: no redis-server, the data in its own memory, said in one line', async () => {
    const emptyPath = await mkdtemp(join(home, 'path-'));
    const demo = await startDemoProcess({ env: { PATH: emptyPath, TMPDIR: home, LOG_LEVEL: 'info', REDISMS_SYSTEM_BINARY: '' } });
    const answer = await (await fetch(`${demo.url}/api/open-classrooms`)).json();
    expect(servedRooms(answer)).toHaveLength(77);
    expect(servedRooms(answer).every((room) => room.status === undefined)).toBe(true);
    expect(demo.output().match(/store: no redis-server found, so the data lives in this process only/g)).toHaveLength(1);
  });

  it('`serve` with no Redis configured and no redis-server stops at start, exit code 1, with the message the README quotes', async () => {
    const emptyPath = await mkdtemp(join(home, 'path-'));
    const quoted = /`(emptyclassroom: Cannot start an embedded Redis[^`]*)`/.exec(await readFile(join(REPO_ROOT, 'README.md'), 'utf8'))?.[1];
    expect(quoted, "the README's REDIS_URL row quotes it").toBeDefined();
    const env = { PATH: emptyPath, TMPDIR: home, PORT: '0', HOST: '127.0.0.1', REFRESH_AT: 'off', REDISMS_SYSTEM_BINARY: '' };
    const failed = await promisify(execFile)(process.execPath, ['bin/emptyclassroom.js', 'serve'], { cwd: REPO_ROOT, env }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe(quoted);
    expect(failed.stdout).toMatch(/did not start; what it had opened is closed/);
    expect(failed.stdout).not.toMatch(/is listening on|stopped: the server/);
  });

  it('the demo stops, with a clear message, when its embedded Redis dies', async () => {
    const demo = await startDemoProcess({ env: { TMPDIR: home, LOG_LEVEL: 'info' } });
    const children = await descendants(demo.pid);
    const names = await Promise.all(children.map(comm));
    const redisPid = children[names.indexOf('redis-server')];
    expect(redisPid, `children: ${names.join(', ')}`).toBeDefined();
    process.kill(redisPid!, 'SIGKILL');
    expect(await waitFor(() => !alive(demo.pid), 10_000), 'the demo process exits').toBe(true);
    expect(demo.output()).toMatch(/demo: the embedded redis-server exited \(SIGKILL\); the demo cannot go on without it and stops/);
  });

  // SIGTERM as a process manager sends it, to npx alone; SIGINT as Ctrl-C does, to the terminal's whole process group.
  it('`npx emptyclassroom serve` stops on SIGTERM and on SIGINT and leaves nothing running', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const port = await freePort();
      const npx = spawn('npx', ['--no-install', 'emptyclassroom', 'serve'], {
        cwd: REPO_ROOT,
        detached: true,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TMPDIR: home },
        stdio: 'ignore',
      });
      const listening = await waitFor(
        () =>
          fetch(`http://127.0.0.1:${port}/healthz`).then(
            (res) => res.ok,
            () => false,
          ),
        20_000,
      );
      expect(listening, 'the service answers /healthz').toBe(true);
      const tree = await descendants(npx.pid!);
      expect(tree.length).toBeGreaterThan(0);
      if (signal === 'SIGTERM') npx.kill(signal);
      else process.kill(-npx.pid!, signal);
      const gone = await waitFor(() => tree.every((pid) => !alive(pid)), 10_000);
      const left = await Promise.all(tree.filter(alive).map(async (pid) => `${pid} ${await comm(pid)}`));
      expect(gone, `${signal}: still running: ${left.join(', ')}`).toBe(true);
      await sleep(100);
    }
  });
});
