/** What a request gets once a fetch failed: data fetched earlier today, an older copy marked stale, or nothing (a 503). */
export type Serving = 'today' | 'stale' | 'nothing';

/** What the core reports about its work, for logs and metrics. */
export type ServiceEvent =
  | { kind: 'fetched'; rooms: number; failedRooms: Array<{ spaceId: number; reason: string; message: string }>; ms: number; days: number }
  | { kind: 'fetch-failed'; error: unknown; serving: Serving }
  | { kind: 'backoff-started'; untilMs: number; reason: string }
  | { kind: 'cache-write-failed'; error: unknown }
  | { kind: 'cache-read-failed'; error: unknown }
  /** A refresh at one of the REFRESH_AT times: the snapshot it fetched or took from another instance, or why it could not. */
  | { kind: 'scheduled-refresh'; at: string; fetchedAt?: string; error?: unknown }
  /** A snapshot the store had refused was stored on a later try. */
  | { kind: 'stored-late'; fetchedAt: string };
