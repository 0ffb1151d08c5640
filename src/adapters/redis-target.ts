export interface RedisNode {
  host: string;
  port: number;
}

/**
 * Which Redis to use, one of three topologies:
 * - `{ url }`: one server (`redis://` or `rediss://`, password in the URL);
 * - `{ cluster }`: a Redis Cluster, found from these seed nodes;
 * - `{ sentinels, name }`: the master of the group `name`, found through these Sentinels.
 */
export type RedisTarget =
  | { url: string; cluster?: never; sentinels?: never }
  | { cluster: RedisNode[]; password?: string; url?: never; sentinels?: never }
  | { sentinels: RedisNode[]; name: string; password?: string; sentinelPassword?: string; url?: never; cluster?: never };

type RedisTopology = 'standalone' | 'cluster' | 'sentinel';

export function topologyOf(target: RedisTarget): RedisTopology {
  if (target.cluster) return 'cluster';
  return target.sentinels ? 'sentinel' : 'standalone';
}

const hostPort = ({ host, port }: RedisNode) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** For logs and messages: where the target points, never its passwords. */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.cluster) return `cluster ${target.cluster.map(hostPort).join(',')}`;
  if (target.sentinels) return `sentinel master "${target.name}" via ${target.sentinels.map(hostPort).join(',')}`;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
