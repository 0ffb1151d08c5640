// The floor for `npm run bench:page`: a bare node:http server answering every request with one static
// HTML file (the page's 77 room rows, no script, no CSS), compressed once with brotli like ours.
// Plain JavaScript, so it runs on node alone.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { brotliCompressSync } from 'node:zlib';

const html = readFileSync(process.argv[2]);
const br = brotliCompressSync(html);
const server = createServer((req, res) => {
  const compressed = /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
  const body = compressed ? br : html;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, ...(compressed ? { 'content-encoding': 'br' } : {}) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
