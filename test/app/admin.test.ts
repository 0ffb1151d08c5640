import { describe, expect, it } from 'vitest';
import { adminEndpoints, UsageError } from '../../src/app/admin.ts';
import { loadConfig } from '../../src/app/config.ts';
import type { DemoEndpoints } from '../../src/app/demo-registry.ts';

const SIMULATOR = 'http://127.0.0.1:41234';
const embeddedDemo: DemoEndpoints = { pid: 1, url: 'http://127.0.0.1:8000', apiUrl: SIMULATOR, redis: 'redis://127.0.0.1:40000', embeddedRedisUrl: 'redis://127.0.0.1:40000' };
const memoryDemo: DemoEndpoints = { pid: 1, url: 'http://127.0.0.1:8000', apiUrl: SIMULATOR, redis: 'this process (in memory)' };

const endpoints = (env: Record<string, string>, demo: DemoEndpoints | null) => adminEndpoints(loadConfig(env), env, demo);

describe('adminEndpoints: which Redis and which 25Live a CLI command uses', () => {
  it("never pairs a configured Redis with a running demo's simulator: without API_URL it is the real 25Live", () => {
    const env = { REDIS_URL: 'redis://prod-cache:6379' };
    expect(endpoints(env, embeddedDemo)).toEqual({ target: { url: 'redis://prod-cache:6379' } });
    expect(endpoints({ REDIS_CLUSTER_NODES: 'a:7000' }, embeddedDemo)).toEqual({ target: { cluster: [{ host: 'a', port: 7000 }] } });
    expect(endpoints({ ...env, API_URL: 'http://mirror.example/data.json' }, embeddedDemo).apiUrl).toBe('http://mirror.example/data.json');
  });

  it("takes a demo's embedded Redis together with its simulator, unless API_URL is set", () => {
    expect(endpoints({}, embeddedDemo)).toEqual({ target: { url: 'redis://127.0.0.1:40000' }, apiUrl: SIMULATOR });
    expect(endpoints({ API_URL: '  ' }, embeddedDemo).apiUrl).toBe(SIMULATOR);
    expect(endpoints({ API_URL: 'http://127.0.0.1:1/x.json' }, embeddedDemo).apiUrl).toBe('http://127.0.0.1:1/x.json');
  });

  it('says that a demo keeping its data in its own memory cannot be reached', () => {
    expect(() => endpoints({}, memoryDemo)).toThrow(UsageError);
    expect(() => endpoints({}, memoryDemo)).toThrow(
      'The running demo (pid 1) keeps its data in this process (in memory), which the CLI cannot reach: install redis-server so that the demo runs an embedded Redis',
    );
  });

  it('uses the catalog file a demo runs on, unless CATALOG_FILE is set', () => {
    const demo = { ...embeddedDemo, catalogFile: 'catalogs/pacific-example.json' };
    expect(endpoints({}, demo).catalogFile).toBe('catalogs/pacific-example.json');
    expect(endpoints({ CATALOG_FILE: 'mine.json' }, demo).catalogFile).toBeUndefined();
  });

  it('says how to name a Redis when neither the environment nor a demo gives one', () => {
    expect(() => endpoints({}, null)).toThrow(/^No Redis to talk to: set REDIS_URL .* or start `npm run demo` first$/);
  });
});
