import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CacheUnavailableError } from '../domain/errors.ts';
import type { Availability, Snapshot } from '../domain/snapshot.ts';
import type { CachePort, CachedState, CacheTtls, Claim, ClaimName } from '../ports/cache-port.ts';
import { openRedisClient, type RedisClient } from './redis-client.ts';
import type { RedisTarget } from './redis-target.ts';

/** The old system's key names: operators inspect and delete them with redis-cli. */
export const REDIS_KEYS = {
  availability: 'classrooms:availability',
  lastRefresh: 'classrooms:last_refresh',
  refreshClaim: 'classrooms:refresh_claim',
  fetchLease: 'classrooms:fetch_lease',
  /** Not the old system's: the last good snapshot, kept for days to serve (marked stale) through a 25Live outage. */
  lastGood: 'classrooms:last_good',
} as const;

export type RedisCacheOptions = RedisTarget & {
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Sees every connection error (they are otherwise swallowed; calls still reject). */
  onError?: (error: Error) => void;
};

export type RedisCache = CachePort & { ping(): Promise<boolean>; close(): Promise<void> };

const availabilitySchema: z.ZodType<Availability> = z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() })));
/** `classrooms:last_good`: the whole Snapshot that `write` stored. */
const snapshotSchema: z.ZodType<Snapshot> = z.object({ availability: availabilitySchema, fetchedAt: z.string(), filledRooms: z.number().optional() });

/** Takes the claim, or reports how long the holder keeps it (a claim without expiry is given one). */
const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -3 end
local remaining = redis.call('PTTL', KEYS[1])
if remaining ~= -1 then return remaining end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return tonumber(ARGV[2])`;

/** Deletes the claim only while it still carries our token, so we never free someone else's. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Extends the claim only while it still carries our token. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

type ScriptedRedis = RedisClient & {
  claimKey(key: string, token: string, ttlMs: number): Promise<number>;
  releaseKey(key: string, token: string): Promise<number>;
  renewKey(key: string, token: string, ttlMs: number): Promise<number>;
};

const CLAIM_KEYS: Record<ClaimName, string> = { refresh: REDIS_KEYS.refreshClaim, fetch: REDIS_KEYS.fetchLease };

/** Anything that is not the expected format (bad JSON, wrong shape) reads as missing, never as a crash. */
function parseStored<T>(raw: string | null, schema: z.ZodType<T>): T | null {
  if (raw === null) return null;
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
 * The CachePort on Redis (ioredis), keeping the old system's keys and value formats, on one
 * server (`{ url }`), a Cluster (`{ cluster }`) or Sentinel's master (`{ sentinels, name }`).
 * Nothing connects until the first call; every call is bounded by `commandTimeoutMs`, fails
 * with CacheUnavailableError while Redis is away, and works again once it is back.
 */
export function createRedisCache({ commandTimeoutMs = 1000, connectTimeoutMs = 2000, onError = () => {}, ...target }: RedisCacheOptions): RedisCache {
  const { client, ops } = openRedisClient(target as RedisTarget, { commandTimeoutMs, connectTimeoutMs });
  const redis = client as ScriptedRedis;
  redis.on('error', onError);
  redis.on('node error', onError); // a Cluster's errors of single nodes
  redis.defineCommand('claimKey', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  redis.defineCommand('releaseKey', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  redis.defineCommand('renewKey', { numberOfKeys: 1, lua: RENEW_SCRIPT });
  const token = randomUUID();

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

  return {
    read: () =>
      attempt('read', async (): Promise<CachedState> => {
        const [availability = null, lastRefresh = null] = await ops.get([REDIS_KEYS.availability, REDIS_KEYS.lastRefresh]);
        return { availability: parseStored(availability, availabilitySchema), lastRefresh };
      }),
    readStamp: () => attempt('readStamp', () => redis.get(REDIS_KEYS.lastRefresh)),
    write: (snapshot, { ttlMs, keepMs }) =>
      // Atomic on one server; on a Cluster, in this order: last_refresh is the version other
      // instances poll, so it goes last and nobody sees a new stamp before its data.
      attempt('write', () =>
        ops.set([
          [REDIS_KEYS.availability, JSON.stringify(snapshot.availability), px(ttlMs)],
          [REDIS_KEYS.lastGood, JSON.stringify(snapshot), px(keepMs)],
          [REDIS_KEYS.lastRefresh, snapshot.fetchedAt, px(ttlMs)],
        ]),
      ),
    readLastGood: () => attempt('readLastGood', async () => parseStored(await redis.get(REDIS_KEYS.lastGood), snapshotSchema)),
    // The version first, so no reader pairs the old stamp with missing data.
    clear: () => attempt('clear', () => ops.del([REDIS_KEYS.lastRefresh, REDIS_KEYS.availability, REDIS_KEYS.refreshClaim])),
    ttls: () =>
      attempt('ttls', async (): Promise<CacheTtls> => {
        const [availability, lastRefresh] = await ops.pttl([REDIS_KEYS.availability, REDIS_KEYS.lastRefresh]);
        return { availabilityMs: ttlOrNull(availability), lastRefreshMs: ttlOrNull(lastRefresh) };
      }),
    claim: (name, ttlMs) =>
      attempt(`claim ${name}`, async (): Promise<Claim> => {
        const remainingMs = await redis.claimKey(CLAIM_KEYS[name], token, px(ttlMs));
        return remainingMs === -3 ? { kind: 'claimed' } : { kind: 'held', remainingMs };
      }),
    renew: (name, ttlMs) => attempt(`renew ${name}`, async () => (await redis.renewKey(CLAIM_KEYS[name], token, px(ttlMs))) === 1),
    release: (name) =>
      attempt(`release ${name}`, async () => {
        await redis.releaseKey(CLAIM_KEYS[name], token);
      }),
    ping: () => attempt('ping', () => redis.ping()).then((reply) => reply === 'PONG', () => false),
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
