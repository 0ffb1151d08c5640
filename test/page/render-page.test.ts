import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { organiseByBuilding, type OpenClassrooms } from '../../src/domain/organise.ts';
import type { PageData, PageModel } from '../../src/page/page-data.ts';
import { renderPage } from '../../src/page/render-page.ts';
import { DEFAULT_VIEW } from '../../src/page/view-state.ts';

/** Every room free 7:00–9:44 and 11:01–closing, CAS 116 unknown. */
function buBody(): OpenClassrooms {
  const availability = Object.fromEntries(
    BU_CATALOG.classrooms
      .filter((r) => r.spaceId !== 342)
      .map((r) => [
        String(r.spaceId),
        [
          { start: '07:00:00', end: '09:44:00' },
          { start: '11:01:00', end: r.building === 'CGS' ? '21:30:00' : '23:00:00' },
        ],
      ]),
  );
  return organiseByBuilding(BU_CATALOG, availability, '2026-12-01T07:13:32.811-05:00');
}

function model(body: OpenClassrooms | null, extra: Partial<PageData> = {}, at = '10:30'): PageModel {
  const data: PageData = {
    school: 'Boston University',
    timeZone: 'America/New_York',
    dates: ['2026-12-01', '2026-12-02'],
    body,
    error: body ? null : 'No data for today yet',
    renderedAt: 0,
    cooldownUntil: 0,
    offline: false,
    ...extra,
  };
  return { data, state: DEFAULT_VIEW, now: { date: '2026-12-01', time: at }, assets: { script: '/assets/page-0123456789ab.js', css: 'body{margin:0}' } };
}

const embedded = (html: string): unknown => JSON.parse(/<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(html)![1]!);
const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe('the server-rendered page', () => {
  it('holds every room of the day, grouped by building, with its free-now state at the minute rendered', () => {
    const html = renderPage(model(buBody(), {}, '11:30'));
    expect(count(html, /data-room="/g)).toBe(77);
    for (const building of BU_CATALOG.buildings) {
      const section = new RegExp(`<section class="building" data-building="${building.code}"[^>]*>(.*?)</section>`, 's').exec(html)![1]!;
      expect(count(section, /data-room="/g)).toBe(BU_CATALOG.classrooms.filter((r) => r.building === building.code).length);
    }
    expect(count(html, /data-free-now="true"/g)).toBe(76);
    expect(html).toMatch(/data-room="342" data-free-now="false" data-state="unknown"/);
    expect(html).toContain('Free now until 11:00 PM');
    expect(html).toContain('Last updated 7:13 AM');
    expect(html).toContain('<input type="search" id="q" name="q"');
    expect(embedded(html)).toEqual(model(buBody()).data);
  });

  it('escapes every name, in text, attributes and the embedded data', () => {
    const body = buBody();
    const evil = '<img src=x onerror=alert(1)> "quoted" & \'single\' </script><script>alert(2)</script>';
    body.buildings.CAS!.name = evil;
    body.buildings.CAS!.classrooms[1]!.name = evil;
    const html = renderPage(model(body));
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(count(html, /<script/g)).toBe(2); // the page's script and its data, nothing more
    expect((embedded(html) as PageData).body!.buildings.CAS!.name).toBe(evil);
  });

  it('gains no markup from any name: the page has as many "<" whatever the names are', () => {
    const plain = count(renderPage(model(buBody())), /</g);
    const name = fc.string({ unit: fc.oneof(fc.constantFrom('<', '>', '&', '"', "'", '/', '=', '\u2028'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
    fc.assert(
      fc.property(name, name, (buildingName, roomName) => {
        const body = buBody();
        body.buildings.CGS!.name = buildingName;
        body.buildings.CGS!.classrooms[0]!.name = `1${roomName}`; // a name that sorts where it did
        const html = renderPage(model(body));
        expect(count(html, /</g)).toBe(plain);
        expect((embedded(html) as PageData).body!.buildings.CGS!.classrooms[0]!.name).toBe(`1${roomName}`);
      }),
      { numRuns: 50 },
    );
  });

  it('shows the stale banner for the last good data, and the error banner with a retry when there is none', () => {
    const stale = renderPage(model({ ...buBody(), stale: true }));
    expect(stale).toMatch(/<div class="banner stale" data-banner="stale" role="status">/);
    expect(stale).toMatch(/data-banner="error" role="alert" hidden/);
    const failed = renderPage(model(null));
    expect(failed).toMatch(/data-banner="stale" role="status" hidden/);
    expect(failed).toMatch(/<div class="banner error" data-banner="error" role="alert"><p><strong>No room data right now.<\/strong> <span class="detail">No data for today yet<\/span>/);
    expect(failed).toContain('data-action="retry">Try again</button>');
    expect(count(failed, /data-room="/g)).toBe(0);
    expect(renderPage(model(buBody(), { offline: true }))).toMatch(/data-banner="offline" role="status"><strong>Offline<\/strong> — <span class="since">data from 7:13 AM<\/span>/);
  });

  it('refers to nothing outside this origin: one script of its own, an inline icon and style', () => {
    const html = renderPage(model(buBody()));
    const references = [...html.matchAll(/(?<![-\w])(?:src|href|action)="([^"]*)"/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^(\/|#|data:)/);
    expect(html).toMatch(/<script defer src="\/assets\/page-0123456789ab.js"><\/script>/);
    expect(html).toContain('<style>body{margin:0}</style>');
  });
});
