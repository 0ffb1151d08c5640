// emptyclassroom/memory: the store, lease and backoff ports in this process's memory (no dependency).
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './adapters/memory-store.ts';
