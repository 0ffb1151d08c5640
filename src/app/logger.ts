import { pino, type Logger } from 'pino';
import type { ServiceEvent } from '../domain/classroom-service.ts';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'emptyclassroom' } });
}

/** Service events as structured log lines. */
export function logServiceEvent(logger: Logger, event: ServiceEvent): void {
  switch (event.kind) {
    case 'fetched':
      if (event.failedRooms.length > 0) {
        logger.warn({ rooms: event.rooms, failedRooms: event.failedRooms, ms: event.ms }, 'fetched from 25Live with failures; those rooms are unknown');
      } else {
        logger.info({ rooms: event.rooms, ms: event.ms }, 'fetched from 25Live');
      }
      return;
    case 'fetch-failed':
      logger.error({ err: event.error, serving: event.serving }, 'fetch from 25Live failed; nothing was cached');
      return;
    case 'backoff-started':
      logger.warn({ until: new Date(event.untilMs).toISOString(), reason: event.reason }, 'backoff: no instance asks 25Live again before it ends');
      return;
    case 'scheduled-refresh':
      if (event.error === undefined) logger.info({ at: event.at, fetchedAt: event.fetchedAt }, 'scheduled refresh: done');
      else logger.warn({ at: event.at, err: event.error }, 'scheduled refresh: not done; the next request or schedule tries again');
      return;
    case 'stored-late':
      logger.info({ fetchedAt: event.fetchedAt }, 'Redis took the snapshot it had refused');
      return;
    case 'cache-read-failed':
      logger.warn({ err: event.error }, 'Redis read failed; answering from this process');
      return;
    case 'cache-write-failed':
      logger.warn({ err: event.error }, 'Redis write failed; this process serves its copy and offers it to Redis again');
      return;
  }
}
