import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Counted {
  requests: string[];
  /** Bytes sent back to the browser: status line, headers and body as sent (compressed). */
  bytes: number;
}

/**
 * A pass-through in front of a server that counts what the browser really asks and gets, the
 * service worker's own requests included (the page's DevTools session does not see those).
 */
export async function countingProxy(target: string): Promise<{ url: string; take(): Counted; close(): Promise<void> }> {
  const upstream = new URL(target);
  let counted: Counted = { requests: [], bytes: 0 };
  const server: Server = createServer((req, res) => {
    counted.requests.push(`${req.method} ${req.url}`);
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const head = `HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n${answer.rawHeaders.map((v, i) => (i % 2 ? `${v}\r\n` : `${v}: `)).join('')}\r\n`;
      counted.bytes += Buffer.byteLength(head);
      answer.on('data', (chunk: Buffer) => (counted.bytes += chunk.length));
      res.writeHead(answer.statusCode!, answer.rawHeaders);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take() {
      const taken = counted;
      counted = { requests: [], bytes: 0 };
      return taken;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
