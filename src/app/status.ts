import type { SharedStore } from '../adapters/shared-store.ts';
import { decideCooldown } from '../domain/cooldown.ts';
import { freshness, trustedStamp } from '../domain/freshness.ts';
import { DEFAULT_POLICY, type ServicePolicy } from '../domain/service-policy.ts';
import type { ClockPort } from '../ports/clock-port.ts';

/** What `emptyclassroom status` shows: the stored snapshot, its age and freshness, the key TTLs, the cooldown and the backoff. */
export async function readStatus(store: SharedStore, clock: ClockPort, sourceId: string, overrides: Partial<ServicePolicy> = {}) {
  const policy = { ...DEFAULT_POLICY, ...overrides };
  const now = clock.now();
  const [head, ttls, backoff] = await Promise.all([store.readHead(), store.ttls(), store.readBackoff()]);
  const ours = head.source === sourceId;
  const stamp = ours ? trustedStamp(head.stamp, now, clock, policy.clockSkewMs) : null;
  const stored = stamp ? await store.read() : null;
  return {
    lastRefresh: stamp?.iso ?? null,
    /** A stamp there, but not of this service's 25Live (another source, or the old system). */
    foreignSource: head.stamp !== null && !ours ? (head.source ?? 'not recorded') : null,
    ageMs: stamp ? now.epochMs - stamp.epochMs : null,
    freshness: freshness(stored ? stamp : null, stored?.failedRooms?.length ?? 0, now, policy),
    ttls,
    cooldown: decideCooldown(stamp, now, policy.cooldownMs),
    backoffMs: Math.max(0, (backoff?.untilMs ?? 0) - now.epochMs),
  };
}

export type Status = Awaited<ReturnType<typeof readStatus>>;
