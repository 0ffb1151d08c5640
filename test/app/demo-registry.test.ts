import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoRegistryPath, findDemo, forgetDemo, recordDemo, type DemoEndpoints } from '../../src/app/demo-registry.ts';

const demo: DemoEndpoints = { pid: process.pid, url: 'http://127.0.0.1:8000', apiUrl: 'http://127.0.0.1:9000', redis: 'redis://127.0.0.1:7000', embeddedRedisUrl: 'redis://127.0.0.1:7000' };

describe('the demo registry', () => {
  const originalTmpdir = process.env.TMPDIR;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emptyclassroom-registry-'));
    process.env.TMPDIR = dir;
  });

  afterEach(async () => {
    if (originalTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmpdir;
    await rm(dir, { recursive: true, force: true });
  });

  it('lives under TMPDIR, is written with mode 0600 (even over an older, wider file) and read back', async () => {
    expect(demoRegistryPath()).toBe(join(dir, 'emptyclassroom', 'demo.json'));
    await mkdir(dirname(demoRegistryPath()));
    await writeFile(demoRegistryPath(), '{}', { mode: 0o644 });
    await recordDemo(demo);
    expect((await stat(demoRegistryPath())).mode & 0o777).toBe(0o600);
    expect(await findDemo()).toEqual(demo);
    await forgetDemo(process.pid);
    expect(await findDemo()).toBeNull();
  });

  it('writes only the known fields', async () => {
    await recordDemo({ ...demo, embeddedRedisUrl: undefined, password: 'hunter2' } as DemoEndpoints);
    const written = await readFile(demoRegistryPath(), 'utf8');
    expect(written).not.toContain('hunter2');
    expect(Object.keys(JSON.parse(written)).sort()).toEqual(['apiUrl', 'pid', 'redis', 'url']);
  });

  it('ignores a record whose process is gone or whose shape is not its own', async () => {
    await recordDemo({ ...demo, pid: 2 ** 22 + 12345 });
    expect(await findDemo()).toBeNull();
    await writeFile(demoRegistryPath(), JSON.stringify({ pid: process.pid, url: 'x', redisUrl: 'redis://old' }));
    expect(await findDemo()).toBeNull();
  });

  it('fails with the path and a way out when it cannot write', async () => {
    await writeFile(join(dir, 'emptyclassroom'), 'not a directory');
    await expect(recordDemo(demo)).rejects.toThrow(`cannot record the demo for the CLI in ${demoRegistryPath()} (`);
    await expect(recordDemo(demo)).rejects.toThrow(/remove .*emptyclassroom or set TMPDIR to a directory of yours$/);
  });

  it.runIf(process.getuid?.() === 0)('refuses a directory that belongs to another user', async () => {
    await mkdir(join(dir, 'emptyclassroom'));
    await chmod(join(dir, 'emptyclassroom'), 0o777);
    await chown(join(dir, 'emptyclassroom'), 4242, 4242);
    await expect(recordDemo(demo)).rejects.toThrow(/belongs to another user \(uid 4242\)/);
  });
});
