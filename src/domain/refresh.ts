import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { Lease, LeasePort } from '../ports/lease-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';
import type { createAnswering } from './answering.ts';
import type { BackoffGate } from './backoff.ts';
import { decideCooldown, type Cooldown } from './cooldown.ts';
import { trustedStamp } from './freshness.ts';
import type { ServicePolicy } from './service-policy.ts';

export type RefreshOutcome = { kind: 'refreshed'; at: string } | { kind: 'cooling'; remainingMs: number } | { kind: 'backoff'; retryAfterMs: number };

export interface RefreshDeps {
  store: SnapshotStorePort;
  leases: LeasePort;
  gate: BackoffGate;
  answering: Pick<ReturnType<typeof createAnswering>, 'fetchAndHold'>;
  clock: ClockPort;
  policy: ServicePolicy;
}

/**
 * `POST /api/refresh`: the cooldown runs from the stored stamp (an operator's DEL ends it, as in the
 * old system); during the fleet's backoff nobody asks 25Live; the `refresh` lease makes
 * check-and-act atomic across the fleet and is given back once the refresh ends.
 */
export function createRefresh({ store, leases, gate, answering, clock, policy }: RefreshDeps) {
  async function cooldownAt(now: Instant): Promise<{ cooldown: Cooldown; stamp: string | null }> {
    const { stamp } = await store.readHead();
    return { cooldown: decideCooldown(trustedStamp(stamp, now, clock, policy.clockSkewMs), now, policy.cooldownMs), stamp };
  }

  async function refresh(now: Instant, options: { force?: boolean }): Promise<RefreshOutcome> {
    let seen = await cooldownAt(now);
    let claim: Lease | null = null;
    if (!options.force) {
      await gate.sync();
      const pausedMs = gate.remainingMs(now.epochMs);
      if (pausedMs > 0) return { kind: 'backoff', retryAfterMs: pausedMs };
      if (seen.cooldown.kind === 'cooling') return seen.cooldown;
      const acquired = await leases.acquire('refresh', policy.cooldownMs);
      if (acquired.kind === 'held') return { kind: 'cooling', remainingMs: acquired.remainingMs };
      claim = acquired.lease;
    }
    try {
      // A refresh that ended between the look above and the claim has stored a new stamp.
      if (claim) {
        seen = await cooldownAt(now);
        if (seen.cooldown.kind === 'cooling') return seen.cooldown as RefreshOutcome;
      }
      const snapshot = await answering.fetchAndHold(now, { seenStamp: seen.stamp, ...(options.force ? { force: true } : {}) });
      return { kind: 'refreshed', at: snapshot.fetchedAt };
    } finally {
      await claim?.release().catch(() => {});
    }
  }

  return { cooldownAt, refresh };
}
