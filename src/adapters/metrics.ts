import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceEvent } from '../domain/service-events.ts';

export interface Metrics {
  record(event: ServiceEvent): void;
  render(): Promise<string>;
  contentType: string;
}

/** Prometheus counters fed by the core's events, served at `GET /metrics`. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  // Not prom-client's default collectors: their event-loop monitor and GC observer cost the hot path
  // measurable tail latency (see BENCHMARKS.md); memory is read only when scraped.
  new Gauge({
    name: 'emptyclassroom_process_resident_memory_bytes',
    help: 'Resident memory of the process',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  const fetches = new Counter({ name: 'emptyclassroom_upstream_fetches_total', help: 'Fetches of every room from 25Live', registers: [registry] });
  const roomFailures = new Counter({
    name: 'emptyclassroom_upstream_room_failures_total',
    help: 'Rooms whose 25Live answer could not be used, by reason (status, timeout, network, malformed, too-large, deadline)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const fetchFailures = new Counter({
    name: 'emptyclassroom_upstream_fetch_failures_total',
    help: 'Fetches that failed outright, by what was served instead (today, last-good, nothing)',
    labelNames: ['serving'],
    registers: [registry],
  });
  const cacheErrors = new Counter({ name: 'emptyclassroom_cache_errors_total', help: 'Redis calls that failed, by operation', labelNames: ['operation'], registers: [registry] });
  const fetchSeconds = new Histogram({
    name: 'emptyclassroom_upstream_fetch_seconds',
    help: 'Time to fetch every room from 25Live',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    record(event) {
      switch (event.kind) {
        case 'fetched':
          fetches.inc();
          fetchSeconds.observe(event.ms / 1000);
          for (const failure of event.failedRooms) roomFailures.inc({ reason: failure.reason });
          return;
        case 'fetch-failed':
          fetchFailures.inc({ serving: event.serving });
          return;
        case 'cache-read-failed':
          cacheErrors.inc({ operation: 'read' });
          return;
        case 'cache-write-failed':
          cacheErrors.inc({ operation: 'write' });
          return;
      }
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
