import { createInMemoryCache } from '../fakes/in-memory-cache.ts';
import { cacheContract } from './cache-contract.ts';

cacheContract('in-memory fake', async () => ({
  cache: createInMemoryCache(Date.now),
  cleanup: async () => {},
}));
