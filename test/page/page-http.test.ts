import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, get, type IncomingHttpHeaders, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createRequestListener } from '../../src/adapters/http/lean-lane.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { createClassroomService } from '../../src/domain/classroom-service.ts';
import type { PageData } from '../../src/page/page-data.ts';
import { createFakeStore } from '../../src/testing/fake-store.ts';
import { createManualClock } from '../../src/testing/manual-clock.ts';
import { createStubScheduleSource } from '../../src/testing/stub-schedule-source.ts';

/** The server's listener (lean lane and Koa) with the page, on a manual clock: CAS 116 has one class 9.75–11. */
function setup(start = '2026-11-26T08:15:00-05:00') {
  const clock = createManualClock(start);
  const cache = createFakeStore(() => clock.epochMs);
  const source = createStubScheduleSource((spaceId, date) => [
    { date, bookings: spaceId === 342 ? [{ start: '9.75', end: '11', eventState: 2 }] : [] },
    { date: '2026-11-27', bookings: spaceId === 342 ? [{ start: '12', end: '23', eventState: 2 }] : [] },
  ]);
  const service = createClassroomService({ store: cache, leases: cache, backoffs: cache, source, sourceId: 'https://25live.example/', clock, catalog: BU_CATALOG, policy: { softTimeoutMs: 50 } });
  const server = createRequestListener(service, { page: { school: BU_CATALOG.school, timeZone: BU_CATALOG.timeZone, nowMs: () => clock.epochMs } });
  return { clock, source, service, server };
}

const text = (res: request.Response) => (res.text ?? (res.body as Buffer).toString('utf8')) as string;
/** The bytes as sent, not decompressed (supertest and fetch both decompress). */
async function raw(listener: RequestListener, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const res = await new Promise<IncomingMessage>((resolve, reject) => get({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', path, headers }, resolve).on('error', reject));
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) };
  } finally {
    server.close();
  }
}
const pageData = (html: string): PageData => JSON.parse(/<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(html)![1]!);
const room = (html: string, id: string) => new RegExp(`<li class="room" data-room="${id}"[^>]*>.*?</li>`, 's').exec(html)![0];

describe('the page over HTTP', () => {
  it("renders today's rooms at the campus minute, with an ETag, no-cache, and a policy that allows its one inline style", async () => {
    const { server } = setup();
    const res = await request(server).get('/').expect(200).expect('content-type', 'text/html; charset=utf-8').expect('cache-control', 'no-cache');
    const html = text(res);
    expect(html.match(/data-room="/g)).toHaveLength(77);
    expect(room(html, '342')).toMatch(/data-free-now="true".*Free now until 9:44 AM/s);
    expect(html).toContain('Free now, 8:15 AM');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    const css = /<style>(.*?)<\/style>/s.exec(html)![1]!;
    expect(res.headers['content-security-policy']).toContain(`style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    await request(server).get('/').set('If-None-Match', res.headers.etag!).expect(304);
    const head = await request(server).head('/').expect(200);
    expect(head.text ?? '').toBe('');
  });

  it('compresses the page with br and gzip, the same bytes underneath', async () => {
    const { server } = setup();
    const plain = text(await request(server).get('/'));
    const br = await raw(server, '/', { 'accept-encoding': 'br' });
    const gzip = await raw(server, '/', { 'accept-encoding': 'gzip' });
    expect([br.headers['content-encoding'], gzip.headers['content-encoding']]).toEqual(['br', 'gzip']);
    expect(brotliDecompressSync(br.body).toString()).toBe(plain);
    expect(gunzipSync(gzip.body).toString()).toBe(plain);
    expect(br.body.length).toBeLessThan(plain.length / 5);
  });

  it('is rendered again when the minute turns, and keeps its bytes within the minute', async () => {
    const { server, clock } = setup();
    const first = await request(server).get('/');
    clock.advance(20_000);
    expect((await request(server).get('/')).headers.etag).toBe(first.headers.etag);
    clock.advance(40_000);
    const next = await request(server).get('/');
    expect(next.headers.etag).not.toBe(first.headers.etag);
    expect(text(next)).toContain('Free now, 8:16 AM');
    clock.advance(90 * 60_000); // 9:46: CAS 116's class has begun
    expect(room(text(await request(server).get('/')), '342')).toMatch(/data-free-now="false".*Free from 11:01 AM/s);
  });

  it('renders the view the query asks for, so the form works without a script', async () => {
    const { server } = setup();
    const cgs = text(await request(server).get('/?q=cgs'));
    expect(room(cgs, '342')).toMatch(/ hidden>/);
    expect(cgs).toMatch(/<section class="building" data-building="CAS"[^>]* hidden>/);
    expect(cgs).toContain('value="cgs"');
    const tomorrow = text(await request(server).get('/?date=2026-11-27&at=13:00'));
    expect(tomorrow).toContain('data-date="2026-11-27" data-at="13:00"');
    expect(room(tomorrow, '342')).toMatch(/data-free-now="false".*No free time left that day/s);
    expect(pageData(tomorrow).body!.date).toBe('2026-11-27');
    const long = text(await request(server).get('/?at=10:30&for=60'));
    expect(room(long, '342')).toMatch(/ hidden>/);
    expect(text(await request(server).get('/?date=1999-01-01'))).toContain('data-date="2026-11-26"');
    const evil = text(await request(server).get(`/?q=${encodeURIComponent('"><script>alert(1)</script>')}`));
    expect(evil).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(evil).not.toContain('<script>alert');
  });

  it('embeds the days and when the refresh cooldown ends, so the first visit needs no other request for them', async () => {
    const { server, clock } = setup();
    const data = pageData(text(await request(server).get('/')));
    expect(data.timeZone).toBe('America/New_York');
    expect(data.dates).toEqual(['2026-11-26', '2026-11-27']);
    expect(data.cooldownUntil).toBe(clock.epochMs + 30 * 60_000);
    expect(data.renderedAt).toBe(clock.epochMs);
  });

  it('serves the script fingerprinted, immutable, precompressed; the worker revalidated; nothing else under /assets', async () => {
    const { server } = setup();
    const script = /<script defer src="(\/assets\/page-[0-9a-f]{12}\.js)">/.exec(text(await request(server).get('/')))![1]!;
    const plain = await raw(server, script);
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const br = await raw(server, script, { 'accept-encoding': 'br, gzip' });
    const gzip = await raw(server, script, { 'accept-encoding': 'gzip' });
    expect([br.headers['content-encoding'], gzip.headers['content-encoding']]).toEqual(['br', 'gzip']);
    expect(brotliDecompressSync(br.body)).toEqual(plain.body);
    expect(gunzipSync(gzip.body)).toEqual(plain.body);
    expect((await raw(server, script, { 'if-none-match': plain.headers.etag! })).status).toBe(304);
    expect((await raw(server, script, { 'if-none-match': br.headers.etag!, 'accept-encoding': 'br' })).status).toBe(304);
    const worker = await request(server).get('/sw.js').expect(200).expect('cache-control', 'no-cache');
    expect(text(worker)).toContain(script);
    await request(server).get('/assets/page-000000000000.js').expect(404).expect('content-type', /json/);
    await request(server).post('/').expect(404);
    await request(server).get('/api/open-classrooms').expect(200).expect('content-type', /json/);
  });

  it('answers 503 with the error banner and a retry when the service has no data, never cached', async () => {
    const { server, source } = setup();
    source.fail('all');
    const res = await request(server).get('/').expect(503).expect('cache-control', 'no-store');
    const html = text(res);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(html).toMatch(/<div class="banner error" data-banner="error" role="alert"><p><strong>No room data right now.<\/strong> <span class="detail">[^<]*25Live[^<]*<\/span>/);
    expect(html).toContain('data-action="retry">Try again</button>');
    expect(pageData(html)).toMatchObject({ body: null, dates: [] });
    expect(html).not.toContain('data-room=');
    // The page's own headers, as on the page with data.
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // The same answer within the minute (rendered once a minute for a crowd during the outage).
    const again = await request(server).get('/').expect(503);
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(text(again)).toBe(html);
  });
});
