/** What the core reports about its work, for logs and metrics. */
export type ServiceEvent =
  | { kind: 'fetched'; rooms: number; failedRooms: Array<{ spaceId: number; reason: string; message: string }>; ms: number }
  | { kind: 'fetch-failed'; error: unknown; serving: 'today' | 'last-good' | 'nothing' }
  | { kind: 'cache-write-failed'; error: unknown }
  | { kind: 'cache-read-failed'; error: unknown };
