/** One answered request, as the access log and the metrics see it. */
export interface AnsweredRequest {
  method: string;
  path: string;
  /** The route template (`/api/open-classrooms`), or `other` for what no route took. */
  route: string;
  status: number;
  ms: number;
  requestId: string | undefined;
  /** Answered by the lean lane from prepared bytes. */
  hot: boolean;
}

/**
 * What the HTTP layer tells the service's logs and metrics. The hot path only counts, unless
 * `logsHotPath` asks for each of its answers too (the access log at debug level).
 */
export interface HttpObserver {
  readonly logsHotPath: boolean;
  answered(request: AnsweredRequest): void;
  /** A hot-path answer, counted without building an entry. */
  counted(route: string, status: number, stale: boolean, ms: number): void;
  /** A request that failed (5xx) or was refused (4xx), with the error behind it. */
  failed(error: unknown, request: Omit<AnsweredRequest, 'ms' | 'hot'>): void;
}

export const silentObserver: HttpObserver = { logsHotPath: false, answered() {}, counted() {}, failed() {} };
