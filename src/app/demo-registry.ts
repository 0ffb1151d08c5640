import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where a running demo tells the CLI which Redis and upstream it uses (under TMPDIR, read when called). */
export const demoRegistryPath = (): string => join(tmpdir(), 'emptyclassroom', 'demo.json');

/** What a demo records: nothing secret (its embedded Redis has no password; a given Redis is only described). */
export interface DemoEndpoints {
  pid: number;
  /** The demo's HTTP service. */
  url: string;
  /** Its 25Live simulator. */
  apiUrl: string;
  /** Where its Redis is, for messages, as describeRedisTarget gives it (passwords masked). */
  redis: string;
  /** The embedded Redis it started, when it was given none: the only Redis the CLI takes from a demo. */
  embeddedRedisUrl?: string;
  /** Its CATALOG_FILE, when it runs on one. */
  catalogFile?: string;
}

/** Writes the record (mode 0600, atomically) into a directory that must belong to this user. */
export async function recordDemo(endpoints: DemoEndpoints): Promise<void> {
  const file = demoRegistryPath();
  const dir = dirname(file);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const owner = (await lstat(dir)).uid;
    const me = process.getuid?.();
    if (me !== undefined && owner !== me) throw new Error(`${dir} belongs to another user (uid ${owner})`);
    const { pid, url, apiUrl, redis, embeddedRedisUrl, catalogFile } = endpoints;
    const temporary = `${file}.${randomUUID()}`;
    await writeFile(temporary, JSON.stringify({ pid, url, apiUrl, redis, embeddedRedisUrl, catalogFile }, null, 2), { mode: 0o600, flag: 'wx' });
    await rename(temporary, file).catch(async (error) => {
      await rm(temporary, { force: true });
      throw error;
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot record the demo for the CLI in ${file} (${reason}); remove ${dir} or set TMPDIR to a directory of yours`);
  }
}

export async function forgetDemo(pid: number): Promise<void> {
  const current = await findDemo();
  if (current?.pid === pid) await rm(demoRegistryPath(), { force: true });
}

/** The running demo, if its record is readable and its process is still alive. */
export async function findDemo(): Promise<DemoEndpoints | null> {
  try {
    const endpoints = JSON.parse(await readFile(demoRegistryPath(), 'utf8')) as Partial<DemoEndpoints>;
    const { pid, url, apiUrl, redis, embeddedRedisUrl, catalogFile } = endpoints;
    if (typeof pid !== 'number' || typeof url !== 'string' || typeof apiUrl !== 'string' || typeof redis !== 'string') return null;
    if ((embeddedRedisUrl !== undefined && typeof embeddedRedisUrl !== 'string') || (catalogFile !== undefined && typeof catalogFile !== 'string')) return null;
    process.kill(pid, 0);
    return { pid, url, apiUrl, redis, ...(embeddedRedisUrl === undefined ? {} : { embeddedRedisUrl }), ...(catalogFile === undefined ? {} : { catalogFile }) };
  } catch {
    return null;
  }
}
