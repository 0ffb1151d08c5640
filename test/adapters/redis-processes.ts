import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { findRedisServerBinary } from '../../src/adapters/embedded-redis.ts';

/** The shared Redis that tests must never touch. */
const SHARED_REDIS_PORT = 6379;
const LOOPBACK = '127.0.0.1';
const OUTPUT_LIMIT = 4_000;

/**
 * Throwaway redis-server processes (cluster nodes, Sentinels) on loopback and free ports, in one
 * temporary directory; `stopAll()` kills every process and removes the directory.
 */
export interface RedisProcesses {
  dir: string;
  /** Starts `redis-server` with `args(port)` on a free port (or `port`) and waits until it answers PING. */
  start(args: (port: number) => string[] | Promise<string[]>, options?: { readyTimeoutMs?: number; port?: number }): Promise<number>;
  /** Runs redis-cli (next to redis-server) with a bounded time. */
  cli(args: string[], timeoutMs?: number): Promise<string>;
  stopAll(): Promise<void>;
}

/** A redis-server that keeps nothing and stays in the foreground, on 127.0.0.1, working in `dir`. */
export const ephemeralArgs = (dir: string): string[] => ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--daemonize', 'no', '--dir', dir];

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(0, LOOPBACK, () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (port !== SHARED_REDIS_PORT) return port;
  }
}

/** True once something on the port answers a RESP command (even with an error, e.g. NOAUTH). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^[+-]/.test(data.toString('utf8'))));
  });
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

async function stop(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await Promise.race([gone.then(() => true), sleep(2_000).then(() => false)])) return;
  child.kill('SIGKILL');
  await Promise.race([gone, sleep(2_000)]);
}

export async function redisProcesses(prefix: string): Promise<RedisProcesses> {
  const server = await findRedisServerBinary();
  if (!server) throw new Error('these tests need redis-server on PATH (apt-get install redis-server)');
  const redisCli = path.join(path.dirname(server), 'redis-cli');
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const children = new Set<ChildProcess>();

  const startOnce = async (args: string[], port: number, readyTimeoutMs: number): Promise<ChildProcess> => {
    const child = spawn(server, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (exited(child)) throw new Error(`redis-server ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}):\n${output}`);
      if (await answers(port)) return child;
      await sleep(25);
    }
    await stop(child);
    throw new Error(`redis-server ${args.join(' ')} did not answer on ${port} within ${readyTimeoutMs} ms:\n${output}`);
  };

  return {
    dir,
    async start(args, { readyTimeoutMs = 5_000, port: fixed } = {}) {
      if (fixed === SHARED_REDIS_PORT) throw new Error('refusing to start a server on the shared Redis port');
      let lastError: unknown;
      // A free port can be taken by another test file between asking and binding: try again.
      for (let attempt = 1; attempt <= (fixed ? 1 : 3); attempt += 1) {
        const port = fixed ?? (await freePort());
        try {
          await startOnce(await args(port), port, readyTimeoutMs);
          return port;
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    },
    async cli(args, timeoutMs = 15_000) {
      const { stdout } = await promisify(execFile)(redisCli, args, { timeout: timeoutMs, cwd: dir });
      return stdout;
    },
    async stopAll() {
      await Promise.all([...children].map(stop));
      children.clear();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every `intervalMs` until it is true; throws `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(intervalMs);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}
