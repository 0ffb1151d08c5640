/**
 * One pending promise, shared by every caller that asks while it runs (p-memoize's idea, for one
 * key at a time). A caller with another key waits for the running task to settle, then starts its own.
 */
export function singleFlight<T>() {
  let pending: { key: string; promise: Promise<T> } | null = null;
  return {
    get running(): boolean {
      return pending !== null;
    },
    /** True while a task of this key runs (a task of another key is not it). */
    runs(key: string): boolean {
      return pending?.key === key;
    },
    run(key: string, task: () => Promise<T>): Promise<T> {
      if (pending?.key === key) return pending.promise;
      const before = pending?.promise.then(
        () => undefined,
        () => undefined,
      );
      const promise: Promise<T> = (async () => {
        await before;
        return task();
      })().finally(() => {
        if (pending?.promise === promise) pending = null;
      });
      pending = { key, promise };
      return promise;
    },
  };
}
