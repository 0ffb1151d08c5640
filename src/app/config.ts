import { minutesOf } from '../domain/refresh-schedule.ts';
import type { ServicePolicy } from '../domain/service-policy.ts';
import { z } from 'zod';
import type { RedisNode, RedisTarget } from '../adapters/redis-target.ts';

/** The availability endpoint of a 25Live tenant on CollegeNET's hosting, where API_URL points by default. */
export const availabilityUrlOf = (tenant: string): string => `https://25live.collegenet.com/25live/data/${tenant}/run/availability/availabilitydata.json`;

/** What the service calls itself in its User-Agent, by default. */
export const DEFAULT_USER_AGENT = 'EmptyClassroom/0.1.0 (+https://github.com/emptyclassroom/emptyclassroom)';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const positive = z.coerce.number().positive().finite();

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/;

/** `host:port,host:port` (an IPv6 host in brackets: `[::1]:7000`) into nodes. */
const hostPorts = z.string().transform((text, ctx): RedisNode[] => {
  const nodes: RedisNode[] = [];
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = HOST_PORT.exec(entry);
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65_535) {
      const message = match ? `"${entry}" has a port outside 1-65535` : `"${entry}" is not host:port (e.g. 10.0.0.5:6379)`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    nodes.push({ host: (match[1] ?? match[2])!, port });
  }
  if (nodes.length === 0) ctx.addIssue({ code: 'custom', message: 'expected comma-separated host:port' });
  return nodes;
});

/** `HH:MM,HH:MM` (campus wall clock) into minutes past midnight; `off` for none. */
const refreshTimes = z.string().transform((text, ctx): number[] => {
  if (text.trim().toLowerCase() === 'off') return [];
  const times: number[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    const minutes = minutesOf(entry);
    if (minutes === null) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not a time of day written HH:MM (00:00 to 23:59); write e.g. 00:05,12:00, or off` });
      return z.NEVER;
    }
    if (!times.includes(minutes)) times.push(minutes);
  }
  return times.sort((a, b) => a - b);
});

const TOPOLOGIES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const;

const schema = z
  .object({
    PORT: integer(0, 65_535).default(8000),
    HOST: z.string().min(1).default('0.0.0.0'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Seed nodes of a Redis Cluster. */
    REDIS_CLUSTER_NODES: hostPorts.optional(),
    /** Sentinels watching the master group REDIS_SENTINEL_NAME. */
    REDIS_SENTINELS: hostPorts.optional(),
    REDIS_SENTINEL_NAME: z.string().trim().min(1).optional(),
    /** Password of the data nodes (Cluster nodes, Sentinel's master); with REDIS_URL it goes in the URL. */
    REDIS_PASSWORD: z.string().optional(),
    /** Password of the Sentinels themselves, when they have one. */
    REDIS_SENTINEL_PASSWORD: z.string().optional(),
    /** The catalog file (JSON); unset: BU's bundled catalog. */
    CATALOG_FILE: z.string().trim().min(1).optional(),
    /** Unset: the availability endpoint of the catalog's tenant on CollegeNET. */
    API_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** `per-room` (the availability view, one request a room) or `batched` (the guest reservations view, 40 rooms a request). */
    UPSTREAM_MODE: z.enum(['per-room', 'batched']).default('per-room'),
    /** Unset: `rm_reservations.json` beside API_URL's `…/run/`. */
    RESERVATIONS_URL: z.url({ protocol: /^https?$/ }).optional(),
    USER_AGENT: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[\x20-\x7e]+$/, { error: 'must be printable ASCII (it goes in a header)' })
      .default(DEFAULT_USER_AGENT),
    REFRESH_COOLDOWN_MINUTES: positive.default(30),
    CACHE_EXPIRY_HOURS: positive.max(24).default(24),
    UPSTREAM_CONCURRENCY: integer(1, 100).default(8),
    UPSTREAM_TIMEOUT_MS: integer(100, 120_000).default(15_000),
    UPSTREAM_RETRIES: integer(0, 10).default(2),
    /** Soft timeout: how long a request waits for a running fetch before it gets what there is. */
    SOFT_TIMEOUT_MS: integer(0, 120_000).default(5_000),
    /** Hard timeout: longest a whole fetch runs before everything still in flight is aborted. */
    HARD_TIMEOUT_MS: integer(1_000, 600_000).default(60_000),
    /** Fail-safe backoff after a failed fetch, for the whole fleet. */
    BACKOFF_SECONDS: positive.max(86_400).default(60),
    /** A snapshot with rooms that failed is fetched again after this long. */
    INCOMPLETE_RETRY_SECONDS: positive.max(86_400).default(300),
    /** Grace period of the last good snapshot. */
    GRACE_PERIOD_HOURS: positive.max(24 * 90).default(168),
    /** Campus times at which the service refreshes by itself, whether requests come or not. */
    REFRESH_AT: refreshTimes.default([5]),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((config, ctx) => {
    const problem = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
    const chosen = TOPOLOGIES.filter((variable) => config[variable] !== undefined);
    for (const variable of chosen.slice(1)) {
      problem(variable, `set only one of ${TOPOLOGIES.join(', ')} (found ${chosen.join(' and ')})`);
    }
    if (config.REDIS_SENTINELS && !config.REDIS_SENTINEL_NAME) {
      problem('REDIS_SENTINEL_NAME', 'required with REDIS_SENTINELS: the master group name (`sentinel monitor <name> ...`)');
    }
    for (const variable of ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'] as const) {
      if (config[variable] !== undefined && !config.REDIS_SENTINELS) problem(variable, 'only used with REDIS_SENTINELS, which is not set');
    }
    if (config.REDIS_PASSWORD !== undefined && !config.REDIS_CLUSTER_NODES && !config.REDIS_SENTINELS) {
      problem(
        'REDIS_PASSWORD',
        config.REDIS_URL ? 'not used with REDIS_URL: put the password in the URL (redis://:PASSWORD@host:6379)' : 'only used with REDIS_CLUSTER_NODES or REDIS_SENTINELS, neither is set',
      );
    }
  });

export type Config = z.infer<typeof schema>;

/** A configuration problem, named by variable so the operator knows what to fix. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Secrets are named in messages, never shown. */
const shown = (name: string, value: string | undefined) => (/PASSWORD/.test(name) && value ? '"***"' : JSON.stringify(value ?? ''));

/** Reads and validates the environment; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `${name}=${shown(name, env[name])}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/** The Redis the configuration names, or undefined when none is (then an embedded Redis serves). */
export function redisTargetOf(config: Config): RedisTarget | undefined {
  const password = config.REDIS_PASSWORD === undefined ? {} : { password: config.REDIS_PASSWORD };
  if (config.REDIS_CLUSTER_NODES) return { cluster: config.REDIS_CLUSTER_NODES, ...password };
  if (config.REDIS_SENTINELS) {
    const sentinelPassword = config.REDIS_SENTINEL_PASSWORD === undefined ? {} : { sentinelPassword: config.REDIS_SENTINEL_PASSWORD };
    return { sentinels: config.REDIS_SENTINELS, name: config.REDIS_SENTINEL_NAME!, ...password, ...sentinelPassword };
  }
  return config.REDIS_URL === undefined ? undefined : { url: config.REDIS_URL };
}

/** The core's knobs that the environment sets. */
export function policyOf(config: Config): Partial<ServicePolicy> {
  return {
    cooldownMs: config.REFRESH_COOLDOWN_MINUTES * 60_000,
    ttlMs: config.CACHE_EXPIRY_HOURS * 3_600_000,
    softTimeoutMs: config.SOFT_TIMEOUT_MS,
    hardTimeoutMs: config.HARD_TIMEOUT_MS,
    backoffMs: config.BACKOFF_SECONDS * 1000,
    incompleteRetryMs: config.INCOMPLETE_RETRY_SECONDS * 1000,
    gracePeriodMs: config.GRACE_PERIOD_HOURS * 3_600_000,
    // A waiting instance outlasts the holder's fetch before it gives up on it.
    lockTimeoutMs: config.HARD_TIMEOUT_MS + 30_000,
  };
}
