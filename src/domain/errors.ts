/** Failures the domain knows how to talk about; adapters translate library errors into these. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why 25Live's answer could not be used; a label for logs and metrics. */
export type UpstreamReason = 'status' | 'timeout' | 'network' | 'malformed' | 'too-large' | 'deadline' | 'all-rooms';

/** 25Live could not give a usable answer (network, status, timeout, malformed body). */
export class UpstreamError extends ServiceError {
  constructor(
    message: string,
    readonly reason: UpstreamReason,
    options?: { cause?: unknown },
  ) {
    super('UPSTREAM_FAILED', message, options);
  }
}

/** The shared cache could not be reached. */
export class CacheUnavailableError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CACHE_UNAVAILABLE', message, options);
  }
}

/** Nothing truthful can be served: no cached data and no upstream answer. */
export class NoDataError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NO_DATA', message, options);
  }
}

/** A caller asked for something that does not exist or makes no sense. */
export class BadRequestError extends ServiceError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}
