import { createMemoryStore, type MemoryStore } from '../adapters/memory-store.ts';
import { CacheUnavailableError } from '../domain/errors.ts';

export type FakeStore = MemoryStore & {
  /** Makes every call reject, as Redis does while it is away. */
  setDown(down: boolean): void;
  /** Makes writes reject while reads work, as a full Redis (`noeviction`) does. */
  setRefusingWrites(refusing: boolean): void;
  /** Snapshots written. */
  readonly writes: number;
  /** The raw entries (key → value with expiry). */
  readonly raw: MemoryStore['entries'];
  /** A second client of the same store: another instance. */
  asAnotherInstance(): FakeStore;
};

const WRITES = new Set(['write', 'writeBackoff', 'acquire', 'clear']);

/** The memory store adapter with switches for Redis's failures, on an injected clock. */
export function createFakeStore(nowMs: () => number = Date.now, shared?: MemoryStore['entries']): FakeStore {
  const store = createMemoryStore({ nowMs, ...(shared ? { entries: shared } : {}) });
  let down = false;
  let refusing = false;
  let writes = 0;
  const guarded = Object.fromEntries(
    Object.entries(store).map(([name, member]) => {
      if (typeof member !== 'function' || name === 'close') return [name, member];
      return [
        name,
        async (...args: unknown[]) => {
          if (down || (refusing && WRITES.has(name))) throw new CacheUnavailableError(`Redis ${name} failed`);
          const result = await (member as (...a: unknown[]) => Promise<unknown>)(...args);
          if (name === 'write') writes += 1;
          return result;
        },
      ];
    }),
  ) as unknown as MemoryStore;
  const extras = {
    entries: store.entries,
    raw: store.entries,
    setDown: (value: boolean) => {
      down = value;
    },
    setRefusingWrites: (value: boolean) => {
      refusing = value;
    },
    asAnotherInstance: () => createFakeStore(nowMs, store.entries),
  };
  return Object.defineProperty(Object.assign(guarded, extras), 'writes', { get: () => writes }) as FakeStore;
}
