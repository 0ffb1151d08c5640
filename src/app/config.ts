import { z } from 'zod';

export const BU_API_URL = 'https://25live.collegenet.com/25live/data/bu/run/availability/availabilitydata.json';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const positive = z.coerce.number().positive().finite();

const schema = z.object({
  PORT: integer(0, 65_535).default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  API_URL: z.url({ protocol: /^https?$/ }).default(BU_API_URL),
  REFRESH_COOLDOWN_MINUTES: positive.default(30),
  CACHE_EXPIRY_HOURS: positive.max(24).default(24),
  UPSTREAM_CONCURRENCY: integer(1, 100).default(8),
  UPSTREAM_TIMEOUT_MS: integer(100, 120_000).default(15_000),
  UPSTREAM_RETRIES: integer(0, 10).default(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

/** A configuration problem, named by variable so the operator knows what to fix. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Reads and validates the environment; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
