import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceEvent } from '../domain/service-events.ts';

export interface Metrics {
  record(event: ServiceEvent): void;
  /** One answered HTTP request (the hot path's too): plain numbers, no label lookup, rendered at scrape. */
  request(route: string, status: number, seconds: number, stale: boolean): void;
  /** One request to 25Live went out (a retry too). */
  upstreamRequest(): void;
  render(): Promise<string>;
  contentType: string;
}

/** What the metrics read from the service when scraped. */
export interface MetricsSources {
  /** Seconds since the served snapshot was fetched, or null when there is none. */
  snapshotAgeSeconds(): number | null;
  /** Seconds of upstream backoff left (0: none). */
  backoffSeconds(): number;
}

const BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** Requests by route and status, and a latency histogram by route, kept as plain numbers: the hot path pays an array increment. */
function createRequestMetrics() {
  const counts = new Map<string, number>();
  const histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return {
    request(route: string, status: number, seconds: number) {
      const key = `${route}\u0000${status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      let histogram = histograms.get(route);
      if (!histogram) {
        histogram = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
        histograms.set(route, histogram);
      }
      const bucket = BUCKETS.findIndex((le) => seconds <= le);
      if (bucket >= 0) histogram.buckets[bucket]! += 1;
      histogram.sum += seconds;
      histogram.count += 1;
    },
    render(): string {
      const lines = ['# HELP emptyclassroom_http_requests_total HTTP requests answered, by route and status', '# TYPE emptyclassroom_http_requests_total counter'];
      for (const [key, count] of counts) {
        const [route = '', status = ''] = key.split('\u0000');
        lines.push(`emptyclassroom_http_requests_total{route="${escapeLabel(route)}",status="${status}"} ${count}`);
      }
      lines.push('# HELP emptyclassroom_http_request_duration_seconds Time to answer an HTTP request, by route', '# TYPE emptyclassroom_http_request_duration_seconds histogram');
      for (const [route, { buckets, sum, count }] of histograms) {
        let cumulative = 0;
        BUCKETS.forEach((le, i) => {
          cumulative += buckets[i]!;
          lines.push(`emptyclassroom_http_request_duration_seconds_bucket{route="${escapeLabel(route)}",le="${le}"} ${cumulative}`);
        });
        lines.push(`emptyclassroom_http_request_duration_seconds_bucket{route="${escapeLabel(route)}",le="+Inf"} ${count}`);
        lines.push(
          `emptyclassroom_http_request_duration_seconds_sum{route="${escapeLabel(route)}"} ${sum}`,
          `emptyclassroom_http_request_duration_seconds_count{route="${escapeLabel(route)}"} ${count}`,
        );
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

/** Prometheus metrics fed by the core's events and the HTTP layer, served at `GET /metrics`. */
export function createMetrics(sources?: MetricsSources): Metrics {
  const registry = new Registry();
  // Not prom-client's default collectors: their event-loop monitor and GC observer cost the hot path
  // measurable tail latency (see BENCHMARKS.md); gauges are read only when scraped.
  new Gauge({
    name: 'emptyclassroom_process_resident_memory_bytes',
    help: 'Resident memory of the process',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  if (sources) {
    new Gauge({
      name: 'emptyclassroom_snapshot_age_seconds',
      help: 'Seconds since the snapshot this process serves was fetched (absent when it holds none)',
      registers: [registry],
      collect() {
        const age = sources.snapshotAgeSeconds();
        this.reset();
        if (age !== null) this.set(age);
      },
    });
    new Gauge({
      name: 'emptyclassroom_upstream_backoff_seconds',
      help: 'Seconds before any instance asks 25Live again after a failure (0: no backoff)',
      registers: [registry],
      collect() {
        this.set(sources.backoffSeconds());
      },
    });
  }
  const fetches = new Counter({ name: 'emptyclassroom_upstream_fetches_total', help: 'Fetches of every room from 25Live', registers: [registry] });
  const roomFailures = new Counter({
    name: 'emptyclassroom_upstream_room_failures_total',
    help: 'Rooms whose 25Live answer could not be used, by reason (status, timeout, network, malformed, too-large, deadline, paused)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const fetchFailures = new Counter({
    name: 'emptyclassroom_upstream_fetch_failures_total',
    help: 'Fetches that failed outright, by what was served instead (today, stale, nothing)',
    labelNames: ['serving'],
    registers: [registry],
  });
  const backoffs = new Counter({ name: 'emptyclassroom_upstream_backoffs_total', help: 'Backoffs started after a failed fetch or a Retry-After', registers: [registry] });
  const cacheErrors = new Counter({ name: 'emptyclassroom_cache_errors_total', help: 'Redis calls that failed, by operation', labelNames: ['operation'], registers: [registry] });
  const fetchSeconds = new Histogram({ name: 'emptyclassroom_upstream_fetch_seconds', help: 'Time to fetch every room from 25Live', buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60], registers: [registry] });
  const upstreamRequests = new Counter({ name: 'emptyclassroom_upstream_requests_total', help: 'Requests sent to 25Live, retries included', registers: [registry] });
  const lastRefreshRequests = new Gauge({
    name: 'emptyclassroom_upstream_requests_per_refresh',
    help: 'Requests to 25Live the last fetch of every room took, failed or not: one a room in per-room mode, one per 40 rooms batched, more with retries',
    registers: [registry],
  });
  let sinceLastFetch = 0;
  /** The end of a fetch, succeeded or failed: the gauge shows its requests, and the next fetch counts from zero. */
  const fetchEnded = () => {
    lastRefreshRequests.set(sinceLastFetch);
    sinceLastFetch = 0;
  };
  let staleServed = 0;
  new Counter({
    name: 'emptyclassroom_stale_answers_total',
    help: 'Answers served marked stale (data not fetched today)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(staleServed);
    },
  });
  const requests = createRequestMetrics();
  return {
    record(event) {
      switch (event.kind) {
        case 'fetched':
          fetchEnded();
          fetches.inc();
          fetchSeconds.observe(event.ms / 1000);
          for (const failure of event.failedRooms) roomFailures.inc({ reason: failure.reason });
          return;
        case 'fetch-failed':
          // A failure that sent nothing (refused during the backoff, or told a second time to another caller) ended no fetch.
          if (sinceLastFetch > 0) fetchEnded();
          fetchFailures.inc({ serving: event.serving });
          return;
        case 'backoff-started':
          backoffs.inc();
          return;
        case 'cache-read-failed':
          cacheErrors.inc({ operation: 'read' });
          return;
        case 'cache-write-failed':
          cacheErrors.inc({ operation: 'write' });
          return;
      }
    },
    upstreamRequest() {
      upstreamRequests.inc();
      sinceLastFetch += 1;
    },
    request(route, status, seconds, stale) {
      requests.request(route, status, seconds);
      if (stale) staleServed += 1;
    },
    render: async () => `${await registry.metrics()}${requests.render()}`,
    contentType: registry.contentType,
  };
}
