import type { Instant } from '../ports/clock-port.ts';

export type Cooldown = { kind: 'ready' } | { kind: 'cooling'; remainingMs: number };

/** A refresh may run once `cooldownMs` have passed since the last one. */
export function decideCooldown(lastRefresh: Instant | null, now: Instant, cooldownMs: number): Cooldown {
  if (lastRefresh === null) return { kind: 'ready' };
  const elapsed = now.epochMs - lastRefresh.epochMs;
  if (elapsed >= cooldownMs) return { kind: 'ready' };
  // A timestamp from the future (another host's clock) never extends the wait past one cooldown.
  return { kind: 'cooling', remainingMs: Math.min(cooldownMs, cooldownMs - elapsed) };
}

/** Minutes as the old API printed them: two decimals in the status, one in the 429 text. */
export function remainingMinutes(remainingMs: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round((remainingMs / 60_000) * factor) / factor;
}
