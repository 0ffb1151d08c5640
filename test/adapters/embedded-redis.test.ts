import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServerBinary, startEmbeddedRedis } from '../../src/adapters/embedded-redis.ts';

const BOTH_FIXES = 'install redis-server (e.g. apt-get install redis-server) or set REDIS_URL to an existing Redis';

/** A client that tries exactly once, so a stopped server shows up as a rejection. */
const oneShotClient = (url: string) => new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2_000 }).on('error', () => {});

/** The Redis answers PING; it is stopped whatever happens. */
async function expectPongThenStop(redis: { url: string; stop(): Promise<void> }): Promise<void> {
  const client = oneShotClient(redis.url);
  try {
    expect(await client.ping()).toBe('PONG');
  } finally {
    client.disconnect();
    await redis.stop();
  }
}

describe('startEmbeddedRedis', () => {
  let emptyDir: string;
  beforeAll(async () => {
    emptyDir = await mkdtemp(path.join(tmpdir(), 'no-redis-'));
  });
  afterAll(async () => {
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('starts a Redis on 127.0.0.1 that answers PING, and stop() stops it', async () => {
    const redis = await startEmbeddedRedis();
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    await expectPongThenStop(redis);
    const after = oneShotClient(redis.url);
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
  });

  it('gives each instance its own free port', async () => {
    const first = await startEmbeddedRedis();
    const second = await startEmbeddedRedis();
    try {
      expect(second.url).not.toBe(first.url);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('fails with both fixes named when no redis-server is on PATH', async () => {
    const saved = { PATH: process.env.PATH, REDISMS_SYSTEM_BINARY: process.env.REDISMS_SYSTEM_BINARY };
    process.env.PATH = emptyDir;
    delete process.env.REDISMS_SYSTEM_BINARY;
    try {
      await expect(startEmbeddedRedis()).rejects.toThrow(BOTH_FIXES);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.REDISMS_SYSTEM_BINARY !== undefined) process.env.REDISMS_SYSTEM_BINARY = saved.REDISMS_SYSTEM_BINARY;
    }
  });

  it('fails the same way when REDISMS_SYSTEM_BINARY names no executable', async () => {
    const env = { PATH: process.env.PATH, REDISMS_SYSTEM_BINARY: path.join(emptyDir, 'redis-server') };
    await expect(startEmbeddedRedis({ env })).rejects.toThrow(BOTH_FIXES);
  });

  it('uses REDISMS_SYSTEM_BINARY even when PATH has no redis-server', async () => {
    const binary = await findRedisServerBinary();
    expect(binary).not.toBeNull();
    await expectPongThenStop(await startEmbeddedRedis({ env: { PATH: emptyDir, REDISMS_SYSTEM_BINARY: binary! } }));
  });
});
