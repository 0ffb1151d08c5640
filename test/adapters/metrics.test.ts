import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/adapters/metrics.ts';

const perRefresh = async (metrics: ReturnType<typeof createMetrics>) => Number(/^emptyclassroom_upstream_requests_per_refresh (\S+)$/m.exec(await metrics.render())?.[1]);
const failed = { kind: 'fetch-failed', error: new Error('25Live answered 500'), serving: 'nothing' } as const;

describe('emptyclassroom_upstream_requests_per_refresh', () => {
  it("keeps a failed fetch's requests when its failure is told to each caller that joined it, or a refusal follows that sent none", async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 3; i += 1) metrics.upstreamRequest();
    metrics.record(failed);
    expect(await perRefresh(metrics)).toBe(3);
    metrics.record(failed); // a second caller of the same fetch, or a fetch refused by another instance's backoff
    expect(await perRefresh(metrics)).toBe(3);
    metrics.upstreamRequest();
    metrics.upstreamRequest();
    metrics.record({ kind: 'fetched', rooms: 77, failedRooms: [], ms: 900, days: 32 });
    expect(await perRefresh(metrics)).toBe(2);
  });
});
