import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/app/cli.ts';
import { loadConfig } from '../../src/app/config.ts';
import { demoRegistryPath } from '../../src/app/demo-registry.ts';
import { startDemo } from '../../src/app/demo.ts';
import { createLogger } from '../../src/app/logger.ts';
import type { RunningService } from '../../src/app/main.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Whether anything accepts connections on this URL's port. */
const answers = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname)
      .once('connect', () => {
        socket.destroy();
        resolve(true);
      })
      .once('error', () => resolve(false));
  });

/** Runs one CLI command in this process against the demo (no REDIS_URL, no API_URL); gives its output. */
async function cli(...argv: string[]) {
  const out = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(argv, { LOG_LEVEL: 'silent' });
    return { code, stdout: out.mock.calls.map((call) => call.join(' ')).join('\n'), stderr: err.mock.calls.map((call) => call.join(' ')).join('\n') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('the demo and the CLI beside it', () => {
  const originalTmpdir = process.env.TMPDIR;
  let dir: string;
  let demo: RunningService | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emptyclassroom-demo-'));
    process.env.TMPDIR = dir;
  });

  afterEach(async () => {
    await demo?.close();
    demo = undefined;
    await rm(join(dir, 'emptyclassroom'), { recursive: true, force: true });
  });

  afterAll(async () => {
    if (originalTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmpdir;
    await rm(dir, { recursive: true, force: true });
  });

  it('records only its endpoints, mode 0600, and the CLI manages its embedded Redis through its simulator', async () => {
    demo = await startDemo(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), createLogger('silent'), { seed: 3 });
    expect((await stat(demoRegistryPath())).mode & 0o777).toBe(0o600);
    const record = JSON.parse(await readFile(demoRegistryPath(), 'utf8'));
    expect(Object.keys(record).sort()).toEqual(['apiUrl', 'embeddedRedisUrl', 'pid', 'redis', 'url']);
    expect(record).toMatchObject({ pid: process.pid, url: demo.url, redis: demo.embeddedRedisUrl, embeddedRedisUrl: demo.embeddedRedisUrl });
    expect(record.embeddedRedisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);

    const refreshed = await cli('refresh', '--force');
    expect(refreshed).toMatchObject({ code: 0, stderr: '' });
    expect(refreshed.stdout).toMatch(/^refreshed at \d{4}-\d\d-\d\dT/);
    expect(await cli('slots', 'CAS', '116')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^CAS 116 (is free today:|: no free time today)/) });
    expect(await cli('refresh')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Refresh cooldown active\./) });
    expect(await cli('clear')).toEqual({
      code: 0,
      stdout: 'cleared classrooms:availability and classrooms:last_refresh, so the next request fetches afresh; the refresh cooldown and any backoff are lifted',
      stderr: '',
    });
    const status = JSON.parse((await cli('status', '--json')).stdout);
    expect(status).toMatchObject({ lastRefresh: null, cooldown: { kind: 'ready' } });
  });

  it("runs on CATALOG_FILE: the Pacific example's rooms at Los Angeles time, and the CLI beside it finds them by the demo's catalog", async () => {
    demo = await startDemo(loadConfig({ PORT: '0', HOST: '127.0.0.1', CATALOG_FILE: 'catalogs/pacific-example.json' }), createLogger('silent'), { seed: 3 });
    const body = (await (await fetch(`${demo.url}/api/open-classrooms`)).json()) as any;
    expect(Object.keys(body.buildings)).toEqual(['LIB', 'SCI']);
    const losAngeles = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit', timeZoneName: 'longOffset' }).format(
      new Date(Date.parse(body.last_updated)),
    );
    expect(body.last_updated.slice(0, 10)).toBe(losAngeles.slice(0, 10));
    expect(body.last_updated).toMatch(/-0[78]:00$/);
    expect(body.buildings.LIB.classrooms[0]).toMatchObject({ id: '5101', name: '101', capacity: 40, features: ['Projector', 'Whiteboard'] });
    expect(JSON.parse(await readFile(demoRegistryPath(), 'utf8')).catalogFile).toBe('catalogs/pacific-example.json');
    expect(await cli('slots', 'LIB', '101')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^LIB 101 (is free today:|: no free time today)/) });
    await expect(cli('slots', 'CAS', '116')).rejects.toThrow('no room "CAS 116" in the catalog; write it as building and number, e.g. LIB 101, or a space id');
  });

  it('closes the server, its embedded Redis and the simulator when it cannot record itself, and says why', async () => {
    await writeFile(join(dir, 'emptyclassroom'), 'a file where the directory should be');
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write: (chunk, _encoding, done) => {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const port = await freePort();

    await expect(startDemo(loadConfig({ PORT: String(port), HOST: '127.0.0.1' }), logger)).rejects.toThrow(`cannot record the demo for the CLI in ${demoRegistryPath()} (`);
    const redisUrl = lines.find((line) => String(line.msg).startsWith('store: an embedded Redis'))?.redis as string;
    const simulatorUrl = lines.find((line) => typeof line.upstream === 'string' && String(line.msg).startsWith('demo:'))?.upstream as string;
    expect(redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+/);
    expect(simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(lines.some((line) => String(line.msg).startsWith('EmptyClassroom is listening on '))).toBe(true);
    expect(await answers(`http://127.0.0.1:${port}`)).toBe(false);
    expect(await answers(redisUrl)).toBe(false);
    expect(await answers(simulatorUrl)).toBe(false);
  });
});
