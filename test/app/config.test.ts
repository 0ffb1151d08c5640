import { describe, expect, it } from 'vitest';
import { availabilityUrlOf, ConfigError, loadConfig, policyOf, redisTargetOf } from '../../src/app/config.ts';

/** The message of the ConfigError that `env` causes. */
function problem(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig: existing variables', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      PORT: 8000,
      HOST: '0.0.0.0',
      UPSTREAM_MODE: 'per-room',
      USER_AGENT: 'EmptyClassroom/0.1.0 (+https://github.com/emptyclassroom/emptyclassroom)',
      REFRESH_COOLDOWN_MINUTES: 30,
      CACHE_EXPIRY_HOURS: 24,
      UPSTREAM_CONCURRENCY: 8,
      UPSTREAM_TIMEOUT_MS: 15_000,
      UPSTREAM_RETRIES: 2,
      SOFT_TIMEOUT_MS: 5_000,
      HARD_TIMEOUT_MS: 60_000,
      BACKOFF_SECONDS: 60,
      INCOMPLETE_RETRY_SECONDS: 300,
      GRACE_PERIOD_HOURS: 168,
      REFRESH_AT: [5],
      LOG_LEVEL: 'info',
    });
  });

  it('reads REFRESH_AT as campus times, sorted and without repeats; off for none', () => {
    expect(loadConfig({ REFRESH_AT: '12:00, 00:05,12:00' }).REFRESH_AT).toEqual([5, 720]);
    expect(loadConfig({ REFRESH_AT: 'off' }).REFRESH_AT).toEqual([]);
    expect(() => loadConfig({ REFRESH_AT: '24:00' })).toThrow(/REFRESH_AT="24:00": "24:00" is not a time of day written HH:MM/);
    expect(() => loadConfig({ REFRESH_AT: '0:05' })).toThrow(/REFRESH_AT/);
  });

  it('names the policy from the environment in the cache vocabulary', () => {
    expect(policyOf(loadConfig({ SOFT_TIMEOUT_MS: '2500', HARD_TIMEOUT_MS: '9000', BACKOFF_SECONDS: '1.5', INCOMPLETE_RETRY_SECONDS: '2', GRACE_PERIOD_HOURS: '1', CACHE_EXPIRY_HOURS: '2' }))).toEqual(
      {
        cooldownMs: 30 * 60_000,
        ttlMs: 2 * 3_600_000,
        softTimeoutMs: 2500,
        hardTimeoutMs: 9000,
        backoffMs: 1500,
        incompleteRetryMs: 2000,
        gracePeriodMs: 3_600_000,
        lockTimeoutMs: 39_000,
      },
    );
    expect(() => loadConfig({ HARD_TIMEOUT_MS: '10' })).toThrow(/HARD_TIMEOUT_MS="10"/);
    expect(() => loadConfig({ BACKOFF_SECONDS: '-1' })).toThrow(/BACKOFF_SECONDS="-1"/);
  });

  it('coerces numbers and keeps REDIS_URL as given', () => {
    const config = loadConfig({ PORT: '0', REDIS_URL: 'rediss://:pw@cache.example:6380', CACHE_EXPIRY_HOURS: '1.5' });
    expect(config).toMatchObject({ PORT: 0, REDIS_URL: 'rediss://:pw@cache.example:6380', CACHE_EXPIRY_HOURS: 1.5 });
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({ PORT: '', REDIS_URL: '  ', REDIS_CLUSTER_NODES: '', REDIS_PASSWORD: '' });
    expect(config.PORT).toBe(8000);
    expect(redisTargetOf(config)).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT="abc"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL="http://cache:6379"'],
    [{ CACHE_EXPIRY_HOURS: '25' }, 'CACHE_EXPIRY_HOURS="25"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
  ])('names the bad variable and its value: %j', (env, named) => {
    expect(problem(env)).toMatch(new RegExp(`^Invalid configuration: .*${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });

  it('lists every bad variable at once', () => {
    const message = problem({ PORT: 'abc', UPSTREAM_RETRIES: '-1' });
    expect(message).toContain('PORT="abc"');
    expect(message).toContain('UPSTREAM_RETRIES="-1"');
  });
});

describe('loadConfig: Redis topologies', () => {
  it('parses REDIS_CLUSTER_NODES into seed nodes (spaces, a trailing comma, an IPv6 host in brackets)', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.5:7000, redis-2.internal:7001,[::1]:7002,' });
    expect(config.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.5', port: 7000 },
      { host: 'redis-2.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(redisTargetOf(config)).toEqual({ cluster: config.REDIS_CLUSTER_NODES });
  });

  it('parses REDIS_SENTINELS with REDIS_SENTINEL_NAME and the passwords into a Sentinel target', () => {
    const config = loadConfig({
      REDIS_SENTINELS: 's1:26379,s2:26379',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_PASSWORD: 'data-secret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    });
    expect(redisTargetOf(config)).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      password: 'data-secret',
      sentinelPassword: 'sentinel-secret',
    });
  });

  it('gives REDIS_PASSWORD to the Cluster nodes', () => {
    expect(redisTargetOf(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_PASSWORD: 'pw' }))).toEqual({ cluster: [{ host: 'a', port: 7000 }], password: 'pw' });
  });

  it('targets REDIS_URL as before, and nothing (the embedded Redis) when none is set', () => {
    expect(redisTargetOf(loadConfig({ REDIS_URL: 'redis://localhost:6379' }))).toEqual({ url: 'redis://localhost:6379' });
    expect(redisTargetOf(loadConfig({}))).toBeUndefined();
  });

  it.each([
    [
      { REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' },
      'REDIS_CLUSTER_NODES="b:7000": set only one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS (found REDIS_URL and REDIS_CLUSTER_NODES)',
    ],
    [{ REDIS_CLUSTER_NODES: 'b:7000', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINELS="s:26379": set only one of'],
  ])('accepts at most one topology: %j', (env, expected) => {
    expect(problem(env)).toContain(expected);
  });

  it('names every extra topology when all three are set', () => {
    const message = problem({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm' });
    expect(message).toContain('found REDIS_URL and REDIS_CLUSTER_NODES and REDIS_SENTINELS');
    expect(message).toContain('REDIS_CLUSTER_NODES="b:7000"');
    expect(message).toContain('REDIS_SENTINELS="s:26379"');
  });

  it.each([
    ['redis-1', '"redis-1" is not host:port'],
    ['redis-1:7000,redis-2', '"redis-2" is not host:port'],
    ['redis-1:abc', '"redis-1:abc" is not host:port'],
    ['redis://redis-1:7000', '"redis://redis-1:7000" is not host:port'],
    ['redis-1:0', '"redis-1:0" has a port outside 1-65535'],
    ['redis-1:65536', '"redis-1:65536" has a port outside 1-65535'],
    [' , ', 'expected comma-separated host:port'],
  ])('rejects REDIS_CLUSTER_NODES=%j, naming the entry', (value, expected) => {
    const message = problem({ REDIS_CLUSTER_NODES: value });
    expect(message).toContain(`REDIS_CLUSTER_NODES=${JSON.stringify(value)}: `);
    expect(message).toContain(expected);
  });

  it('checks REDIS_SENTINELS entries the same way', () => {
    expect(problem({ REDIS_SENTINELS: 'sentinel-1', REDIS_SENTINEL_NAME: 'm' })).toContain('REDIS_SENTINELS="sentinel-1": "sentinel-1" is not host:port');
  });

  it('requires REDIS_SENTINEL_NAME with REDIS_SENTINELS', () => {
    expect(problem({ REDIS_SENTINELS: 's:26379' })).toContain('REDIS_SENTINEL_NAME="": required with REDIS_SENTINELS');
  });

  it.each([
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINEL_NAME="mymaster": only used with REDIS_SENTINELS'],
    [{ REDIS_URL: 'redis://a:6379', REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINEL_NAME="mymaster": only used with REDIS_SENTINELS'],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINEL_PASSWORD: 'x' }, 'REDIS_SENTINEL_PASSWORD="***": only used with REDIS_SENTINELS'],
    [{ REDIS_URL: 'redis://a:6379', REDIS_PASSWORD: 'x' }, 'REDIS_PASSWORD="***": not used with REDIS_URL: put the password in the URL'],
    [{ REDIS_PASSWORD: 'x' }, 'REDIS_PASSWORD="***": only used with REDIS_CLUSTER_NODES or REDIS_SENTINELS'],
  ])('rejects a variable that would be ignored: %j', (env, expected) => {
    expect(problem(env)).toContain(expected);
  });

  it('never shows a password in a message', () => {
    const message = problem({ REDIS_URL: 'redis://a:6379', REDIS_PASSWORD: 'hunter2', REDIS_SENTINEL_PASSWORD: 'swordfish' });
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('swordfish');
  });
});

describe('loadConfig: the upstream', () => {
  it("derives the availability URL from the catalog's tenant when API_URL is unset, and takes the mode and the reservations URL as given", () => {
    expect(availabilityUrlOf('bu')).toBe('https://25live.collegenet.com/25live/data/bu/run/availability/availabilitydata.json');
    expect(availabilityUrlOf('pacificexample')).toBe('https://25live.collegenet.com/25live/data/pacificexample/run/availability/availabilitydata.json');
    expect(loadConfig({}).UPSTREAM_MODE).toBe('per-room');
    expect(loadConfig({ UPSTREAM_MODE: 'batched', RESERVATIONS_URL: 'https://x.example/run/rm_reservations.json' })).toMatchObject({
      UPSTREAM_MODE: 'batched',
      RESERVATIONS_URL: 'https://x.example/run/rm_reservations.json',
    });
    expect(problem({ UPSTREAM_MODE: 'both' })).toMatch(/^Invalid configuration: UPSTREAM_MODE="both"/);
    expect(loadConfig({ USER_AGENT: 'Campus Rooms/2 (+mailto:ops@example.edu)' }).USER_AGENT).toBe('Campus Rooms/2 (+mailto:ops@example.edu)');
    expect(problem({ USER_AGENT: 'two\nlines' })).toMatch(/^Invalid configuration: USER_AGENT=.*must be printable ASCII/);
  });
});
