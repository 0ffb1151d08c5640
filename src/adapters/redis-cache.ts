import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Backoff } from '../domain/backoff.ts';
import { CacheUnavailableError } from '../domain/errors.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { Lease, LeaseName } from '../ports/lease-port.ts';
import { missingIfWrongType, openRedisClient, type RedisClient } from './redis-client.ts';
import type { RedisTarget } from './redis-target.ts';
import type { CacheTtls, SharedStore } from './shared-store.ts';
import { CLEARED_KEYS, REDIS_KEYS } from './store-keys.ts';

export { REDIS_KEYS };

export type RedisCacheOptions = RedisTarget & {
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Sees every connection error (they are otherwise swallowed; calls still reject). */
  onError?: (error: Error) => void;
};

/** The three ports on one Redis, plus what only operators and the composition root use. */
export type RedisCache = SharedStore;

const slots = z.array(z.object({ start: z.string(), end: z.string() }));
const snapshotSchema: z.ZodType<Snapshot> = z.object({
  fetchedAt: z.string(),
  source: z.string(),
  days: z.record(z.string(), z.record(z.string(), slots)),
  failedRooms: z.array(z.number()).optional(),
});
const backoffSchema: z.ZodType<Backoff> = z.object({ untilMs: z.number(), reason: z.string() });

/** Takes the lease, or reports how long its holder keeps it (a lease without expiry is given one). */
const ACQUIRE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -3 end
local remaining = redis.call('PTTL', KEYS[1])
if remaining ~= -1 then return remaining end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return tonumber(ARGV[2])`;

/** Deletes the lease only while it still carries our token, so we never free someone else's. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Extends the lease only while it still carries our token. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

type ScriptedRedis = RedisClient & {
  acquireKey(key: string, token: string, ttlMs: number): Promise<number>;
  releaseKey(key: string, token: string): Promise<number>;
  renewKey(key: string, token: string, ttlMs: number): Promise<number>;
};

const LEASE_KEYS: Record<LeaseName, string> = { refresh: REDIS_KEYS.refreshClaim, fetch: REDIS_KEYS.fetchLease };

/** Anything that is not the expected format (bad JSON, wrong shape) reads as missing, never as a crash. */
function parseStored<T>(raw: string | null | undefined, schema: z.ZodType<T>): T | null {
  if (raw == null) return null;
  try {
    return schema.safeParse(JSON.parse(raw)).data ?? null;
  } catch {
    return null;
  }
}

/** PTTL's -2 (missing) and -1 (no expiry) both mean "no remaining life to report". */
const ttlOrNull = (pttl: unknown): number | null => (typeof pttl === 'number' && pttl >= 0 ? pttl : null);

/** Redis wants a positive whole number of milliseconds. */
const px = (ttlMs: number): number => Math.max(1, Math.ceil(ttlMs));

/** Waits for `promise`, but no longer than `ms` (the promise itself goes on). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The store, lease and backoff ports on Redis (ioredis), keeping the old system's keys and value
 * formats, on one server (`{ url }`), a Cluster (`{ cluster }`) or Sentinel's master (`{ sentinels, name }`).
 * Nothing connects until the first call; every call is bounded by `commandTimeoutMs`, fails with
 * CacheUnavailableError while Redis is away, and works again once it is back.
 */
export function createRedisCache({ commandTimeoutMs = 1000, connectTimeoutMs = 2000, onError = () => {}, ...target }: RedisCacheOptions): RedisCache {
  const { client, ops } = openRedisClient(target as RedisTarget, { commandTimeoutMs, connectTimeoutMs });
  const redis = client as ScriptedRedis;
  redis.on('error', onError);
  redis.on('node error', onError); // a Cluster's errors of single nodes
  redis.defineCommand('acquireKey', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
  redis.defineCommand('releaseKey', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  redis.defineCommand('renewKey', { numberOfKeys: 1, lua: RENEW_SCRIPT });

  // Without an offline queue, the first calls must wait for the lazy connection themselves, but
  // not forever (a Sentinel lookup retries until a Sentinel answers): afterwards they fail fast.
  const connectWaitMs = 2 * connectTimeoutMs + commandTimeoutMs;
  let connecting: Promise<void> | null = null;
  const connected = async () => {
    if (redis.status === 'wait') connecting ??= within(redis.connect(), connectWaitMs, 'connecting').finally(() => (connecting = null));
    if (connecting) await connecting;
  };
  const attempt = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      await connected();
      return await run();
    } catch (cause) {
      // The message may reach clients: the library's wording stays in `cause`, for the logs.
      throw new CacheUnavailableError(`Redis ${operation} failed`, { cause });
    }
  };
  const getString = (key: string) => redis.get(key).catch(missingIfWrongType);

  const leaseOf = (key: string, token: string): Lease => ({
    renew: (ttlMs) => attempt('lease renewal', async () => (await redis.renewKey(key, token, px(ttlMs))) === 1),
    release: () => attempt('lease release', async () => void (await redis.releaseKey(key, token))),
  });

  return {
    readHead: () =>
      attempt('read', async () => {
        const [stamp = null, source = null] = await ops.get([REDIS_KEYS.lastRefresh, REDIS_KEYS.source]);
        return { stamp, source };
      }),
    read: () =>
      attempt('read', async () => {
        const [availability, stamp, source, whole] = await ops.get([REDIS_KEYS.availability, REDIS_KEYS.lastRefresh, REDIS_KEYS.source, REDIS_KEYS.snapshot]);
        const snapshot = parseStored(whole, snapshotSchema);
        // All four keys or nothing: an operator's DEL of either old key means "fetch afresh".
        return availability != null && snapshot && snapshot.fetchedAt === stamp && snapshot.source === source ? snapshot : null;
      }),
    write: (snapshot, { ttlMs, graceMs }) =>
      // Atomic on one server; on a Cluster, in this order: last_refresh is the version other
      // instances poll, so it goes last and nobody sees a new stamp before its data.
      attempt('write', () => {
        const whole = JSON.stringify(snapshot);
        return ops.set([
          [REDIS_KEYS.availability, JSON.stringify(snapshot.days[snapshot.fetchedAt.slice(0, 10)] ?? {}), px(ttlMs)],
          [REDIS_KEYS.snapshot, whole, px(ttlMs)],
          [REDIS_KEYS.source, snapshot.source, px(ttlMs)],
          [REDIS_KEYS.lastGood, whole, px(graceMs)],
          [REDIS_KEYS.lastRefresh, snapshot.fetchedAt, px(ttlMs)],
        ]);
      }),
    readLastGood: () => attempt('read', async () => parseStored(await getString(REDIS_KEYS.lastGood), snapshotSchema)),
    acquire: (name, ttlMs) =>
      attempt(`lease ${name}`, async () => {
        const token = randomUUID();
        const remainingMs = await redis.acquireKey(LEASE_KEYS[name], token, px(ttlMs));
        return remainingMs === -3 ? { kind: 'acquired', lease: leaseOf(LEASE_KEYS[name], token) } : { kind: 'held', remainingMs };
      }),
    readBackoff: () => attempt('read', async () => parseStored(await getString(REDIS_KEYS.backoff), backoffSchema)),
    writeBackoff: (backoff) =>
      attempt('write', async () => {
        const lifeMs = backoff.untilMs - Date.now();
        if (lifeMs > 0) await redis.set(REDIS_KEYS.backoff, JSON.stringify(backoff), 'PX', px(lifeMs));
      }),
    // The version first, so no reader pairs the old stamp with missing data.
    clear: () => attempt('clear', () => ops.del(CLEARED_KEYS)),
    ttls: () =>
      attempt('ttls', async (): Promise<CacheTtls> => {
        const [availability, lastRefresh] = await ops.pttl([REDIS_KEYS.availability, REDIS_KEYS.lastRefresh]);
        return { availabilityMs: ttlOrNull(availability), lastRefreshMs: ttlOrNull(lastRefresh) };
      }),
    ping: () =>
      attempt('ping', () => redis.ping()).then(
        (reply) => reply === 'PONG',
        () => false,
      ),
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
