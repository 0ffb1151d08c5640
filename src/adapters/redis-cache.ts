import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { CacheUnavailableError } from '../domain/errors.ts';
import type { Availability, Snapshot } from '../domain/snapshot.ts';
import type { CachePort, CachedState, CacheTtls, Claim, ClaimName } from '../ports/cache-port.ts';

/** The old system's key names: operators inspect and delete them with redis-cli. */
export const REDIS_KEYS = {
  availability: 'classrooms:availability',
  lastRefresh: 'classrooms:last_refresh',
  refreshClaim: 'classrooms:refresh_claim',
  fetchLease: 'classrooms:fetch_lease',
  /** Not the old system's: the last good snapshot, kept for days to serve (marked stale) through a 25Live outage. */
  lastGood: 'classrooms:last_good',
} as const;

export interface RedisCacheOptions {
  url: string;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Sees every connection error (they are otherwise swallowed; calls still reject). */
  onError?: (error: Error) => void;
}

export type RedisCache = CachePort & { ping(): Promise<boolean>; close(): Promise<void> };

const availabilitySchema = z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() })));

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

type ScriptedRedis = Redis & {
  claimKey(key: string, token: string, ttlMs: number): Promise<number>;
  releaseKey(key: string, token: string): Promise<number>;
  renewKey(key: string, token: string, ttlMs: number): Promise<number>;
};

const CLAIM_KEYS: Record<ClaimName, string> = { refresh: REDIS_KEYS.refreshClaim, fetch: REDIS_KEYS.fetchLease };

/** Anything that is not the old format (bad JSON, wrong shape) reads as missing, never as a crash. */
function parseAvailability(raw: string | null): Availability | null {
  try {
    return raw === null ? null : (availabilitySchema.safeParse(JSON.parse(raw)).data ?? null);
  } catch {
    return null;
  }
}

function parseSnapshot(raw: string | null): Snapshot | null {
  try {
    const parsed = raw === null ? null : (JSON.parse(raw) as { availability?: unknown; fetchedAt?: unknown });
    const availability = parseAvailability(JSON.stringify(parsed?.availability ?? null));
    return availability && typeof parsed?.fetchedAt === 'string' ? { availability, fetchedAt: parsed.fetchedAt } : null;
  } catch {
    return null;
  }
}

/** PTTL's -2 (missing) and -1 (no expiry) both mean "no remaining life to report". */
const ttlOrNull = (pttl: unknown): number | null => (typeof pttl === 'number' && pttl >= 0 ? pttl : null);

/** Redis wants a positive whole number of milliseconds. */
const px = (ttlMs: number): number => Math.max(1, Math.ceil(ttlMs));

/** Runs a Redis pipeline/MULTI result through: any per-command error fails the whole call. */
function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('transaction aborted');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/**
 * The CachePort on Redis (ioredis), keeping the old system's keys and value formats.
 * Nothing connects until the first call; every call is bounded by `commandTimeoutMs`, fails
 * with CacheUnavailableError while Redis is away, and works again once it is back.
 */
export function createRedisCache({
  url,
  commandTimeoutMs = 1000,
  connectTimeoutMs = 2000,
  onError = () => {},
}: RedisCacheOptions): RedisCache {
  const redis = new Redis(url, {
    lazyConnect: true,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    // Fail fast while Redis is away instead of queueing: callers fall back, nobody waits.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
  }) as ScriptedRedis;
  redis.on('error', onError);
  redis.defineCommand('claimKey', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  redis.defineCommand('releaseKey', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  redis.defineCommand('renewKey', { numberOfKeys: 1, lua: RENEW_SCRIPT });
  const token = randomUUID();

  // Without an offline queue, the first calls must wait for the lazy connection themselves.
  let connecting: Promise<void> | null = null;
  const connected = async () => {
    if (redis.status === 'wait') connecting ??= redis.connect().finally(() => (connecting = null));
    if (connecting) await connecting;
  };
  const attempt = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      await connected();
      return await run();
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new CacheUnavailableError(`Redis ${operation} failed: ${reason}`, { cause });
    }
  };

  return {
    read: () =>
      attempt('read', async (): Promise<CachedState> => {
        const [availability = null, lastRefresh = null] = await redis.mget(REDIS_KEYS.availability, REDIS_KEYS.lastRefresh);
        return { availability: parseAvailability(availability), lastRefresh };
      }),
    readStamp: () => attempt('readStamp', () => redis.get(REDIS_KEYS.lastRefresh)),
    write: (snapshot, { ttlMs, keepMs }) =>
      attempt('write', async () => {
        const transaction = redis
          .multi()
          .set(REDIS_KEYS.availability, JSON.stringify(snapshot.availability), 'PX', px(ttlMs))
          .set(REDIS_KEYS.lastRefresh, snapshot.fetchedAt, 'PX', px(ttlMs))
          .set(REDIS_KEYS.lastGood, JSON.stringify(snapshot), 'PX', px(keepMs));
        results(await transaction.exec());
      }),
    readLastGood: () => attempt('readLastGood', async () => parseSnapshot(await redis.get(REDIS_KEYS.lastGood))),
    clear: () =>
      attempt('clear', async () => {
        await redis.del(REDIS_KEYS.availability, REDIS_KEYS.lastRefresh, REDIS_KEYS.refreshClaim);
      }),
    ttls: () =>
      attempt('ttls', async (): Promise<CacheTtls> => {
        const [availability, lastRefresh] = results(
          await redis.pipeline().pttl(REDIS_KEYS.availability).pttl(REDIS_KEYS.lastRefresh).exec(),
        );
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
