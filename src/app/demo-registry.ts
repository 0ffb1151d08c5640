import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where a running demo tells the CLI which Redis and upstream it uses. */
export const DEMO_REGISTRY = join(tmpdir(), 'emptyclassroom', 'demo.json');

export interface DemoEndpoints {
  pid: number;
  url: string;
  redisUrl: string;
  apiUrl: string;
}

export async function recordDemo(endpoints: DemoEndpoints): Promise<void> {
  await mkdir(dirname(DEMO_REGISTRY), { recursive: true });
  await writeFile(DEMO_REGISTRY, JSON.stringify(endpoints, null, 2));
}

export async function forgetDemo(pid: number): Promise<void> {
  const current = await findDemo();
  if (current?.pid === pid) await rm(DEMO_REGISTRY, { force: true });
}

/** The running demo, if its process is still alive. */
export async function findDemo(): Promise<DemoEndpoints | null> {
  try {
    const endpoints = JSON.parse(await readFile(DEMO_REGISTRY, 'utf8')) as DemoEndpoints;
    process.kill(endpoints.pid, 0);
    return endpoints;
  } catch {
    return null;
  }
}
