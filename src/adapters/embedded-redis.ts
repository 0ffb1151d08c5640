import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

export interface EmbeddedRedis {
  url: string;
  /** Called once if redis-server exits without `stop()` (it crashed, or was killed). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  stop(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  /** Where to look for `redis-server` (`REDISMS_SYSTEM_BINARY`, then `PATH`); defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const HOST = '127.0.0.1';
const HOW_TO_FIX = 'install redis-server (e.g. apt-get install redis-server) or set REDIS_URL to an existing Redis';

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The `redis-server` to run: `REDISMS_SYSTEM_BINARY` when set, else the first one on `PATH`. */
export async function findRedisServerBinary(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const explicit = env.REDISMS_SYSTEM_BINARY;
  if (explicit) return (await isExecutableFile(explicit)) ? path.resolve(explicit) : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, 'redis-server');
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 and a free port (no persistence) using the system binary.
 * Why: the service and its tests need a real Redis without an operator providing one;
 * we never download a binary, so a missing redis-server fails fast with the two ways out.
 * redis-memory-server is loaded only then, once there is a binary to run: the demo without one
 * keeps its data in memory and needs neither.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions = {}): Promise<EmbeddedRedis> {
  const env = options.env ?? process.env;
  const systemBinary = await findRedisServerBinary(env);
  if (!systemBinary) {
    const where = env.REDISMS_SYSTEM_BINARY ? `REDISMS_SYSTEM_BINARY=${env.REDISMS_SYSTEM_BINARY} is not an executable file` : 'no redis-server found on PATH';
    throw new Error(`Cannot start an embedded Redis: ${where}; ${HOW_TO_FIX}.`);
  }
  const { RedisMemoryServer } = await import('redis-memory-server').catch((cause: NodeJS.ErrnoException) => {
    if (cause?.code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new Error('Cannot start an embedded Redis: the library redis-memory-server is not installed; npm install redis-memory-server, or set REDIS_URL to an existing Redis.', { cause });
  });
  const server = new RedisMemoryServer({
    instance: { ip: HOST },
    binary: { systemBinary },
  });
  await server.start();
  let stopping = false;
  const child = server.getInstanceInfo() ? (server.getInstanceInfo() as { childProcess?: import('node:child_process').ChildProcess }).childProcess : undefined;
  return {
    url: `redis://${HOST}:${await server.getPort()}`,
    onExit(listener) {
      child?.once('exit', (code, signal) => {
        if (!stopping) listener(code, signal);
      });
    },
    async stop() {
      stopping = true;
      await server.stop();
    },
  };
}
