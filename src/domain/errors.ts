/** Every failure code the core can raise; the HTTP adapter maps each to a status. */
export type ErrorCode = 'UPSTREAM_FAILED' | 'CACHE_UNAVAILABLE' | 'NO_DATA' | 'BACKOFF' | 'DATE_OUT_OF_RANGE' | 'UNKNOWN_BUILDING';

/** Failures the domain knows how to talk about; adapters translate library errors into these. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why 25Live's answer could not be used; a label for logs and metrics. */
export type UpstreamReason = 'status' | 'timeout' | 'network' | 'malformed' | 'too-large' | 'deadline' | 'paused' | 'all-rooms';

/** 25Live could not give a usable answer (network, status, timeout, malformed body). */
export class UpstreamError extends ServiceError {
  /** When 25Live asked for a pause (`Retry-After` on a 429 or 503), how long it asked for. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    readonly reason: UpstreamReason,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super('UPSTREAM_FAILED', message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The shared store could not be reached. */
export class CacheUnavailableError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CACHE_UNAVAILABLE', message, options);
  }
}

/** Nothing truthful can be served: no data for the day and no upstream answer. */
export class NoDataError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NO_DATA', message, options);
  }
}

/** 25Live failed recently: the fleet does not ask it again before the backoff ends. */
export class BackoffError extends ServiceError {
  constructor(readonly retryAfterMs: number) {
    super('BACKOFF', `25Live failed recently; it is not asked again for ${Math.ceil(retryAfterMs / 1000)} more seconds`);
  }
}

/** A date that is malformed, past, or beyond the days the data covers; the message names the range. */
export class DateOutOfRangeError extends ServiceError {
  constructor(
    message: string,
    readonly range: { first: string; last: string },
  ) {
    super('DATE_OUT_OF_RANGE', message);
  }
}

/** A building code the catalog does not have. */
export class UnknownBuildingError extends ServiceError {
  constructor(message: string) {
    super('UNKNOWN_BUILDING', message);
  }
}
