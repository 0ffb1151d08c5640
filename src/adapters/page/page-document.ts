import type { ClassroomService } from '../../domain/classroom-service.ts';
import { ServiceError } from '../../domain/errors.ts';
import type { OpenClassrooms } from '../../domain/organise.ts';
import { campusMinute } from '../../page/campus-time.ts';
import type { PageData } from '../../page/page-data.ts';
import { renderPage } from '../../page/render-page.ts';
import { parseViewState, serialiseViewState } from '../../page/view-state.ts';
import type { EncodedBody } from '../http/encoded-body.ts';
import { failureResponse } from '../http/error-middleware.ts';
import { encodeAsset } from './encoded-asset.ts';
import type { PageAssets } from './page-assets.ts';

type PageDocument =
  | { kind: 'page'; body: EncodedBody }
  /** The service has no data: the page with its error banner (never stored), and the API's status and headers. */
  | { kind: 'failure'; status: number; headers: Record<string, string>; body: EncodedBody };

/** Views of one answer kept per minute: the page shows each room's state at the minute it is rendered. */
const KEPT_PER_MINUTE = 64;

/** The page's own headers, on every answer of it: its content policy, and no referrer sent on. */
const pageHeaders = (assets: PageAssets): string[] => ['Content-Security-Policy', assets.policy, 'Referrer-Policy', 'no-referrer'];

/**
 * `GET /`'s document: the service's current answer rendered at the campus minute, for the view the
 * query asks for. Built once per answer, minute and view, with its bytes, ETag and compressed forms.
 */
export function createPageDocuments(service: ClassroomService, options: { school: string; timeZone: string; nowMs: () => number }) {
  const kept = new WeakMap<OpenClassrooms, { minute: string; pages: Map<string, EncodedBody>; cooldownUntil: Promise<number | null> }>();
  /** Failure pages of the current minute, by reason and view: a crowd arriving during an outage costs one rendering. */
  let failures = { minute: '', pages: new Map<string, EncodedBody>() };

  /** When the refresh cooldown ends; it runs from the snapshot's stamp, so it holds as long as the answer. Null when Redis cannot say. */
  const cooldownUntil = (nowMs: number): Promise<number | null> =>
    service.cooldown().then(
      (cooldown) => (cooldown.kind === 'cooling' ? nowMs + cooldown.remainingMs : 0),
      () => null,
    );

  async function dayOf(date: string | null, today: OpenClassrooms): Promise<OpenClassrooms> {
    if (date === null) return today;
    // Midnight may pass between reading the dates and the day: today's page then.
    return service.openClassrooms(date).catch(() => today);
  }

  return async function documentFor(search: string, assets: PageAssets): Promise<PageDocument> {
    const renderedAt = options.nowMs();
    const now = campusMinute(renderedAt, options.timeZone);
    const names = { script: assets.scriptPath, css: assets.css };
    let today: OpenClassrooms;
    let dates: string[];
    try {
      today = await service.openClassrooms();
      dates = (await service.dates()).dates;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const failure = failureResponse(error);
      const minute = `${now.date} ${now.time}`;
      if (failures.minute !== minute) failures = { minute, pages: new Map() };
      const key = `${failure.body.detail}\u0000${search}`;
      let page = failures.pages.get(key);
      if (!page) {
        const data: PageData = { school: options.school, timeZone: options.timeZone, dates: [], body: null, error: failure.body.detail, renderedAt, cooldownUntil: null, offline: false };
        const html = renderPage({ data, state: parseViewState(search, []), now, assets: names });
        page = encodeAsset(Buffer.from(html), { contentType: 'text/html; charset=utf-8', cacheControl: 'no-store', extra: pageHeaders(assets) });
        if (failures.pages.size < KEPT_PER_MINUTE) failures.pages.set(key, page);
      }
      return { kind: 'failure', status: failure.status, headers: failure.headers, body: page };
    }
    const state = parseViewState(search, dates);
    const body = await dayOf(state.date, today);
    const minute = `${now.date}T${now.time}`;
    let entry = kept.get(body);
    if (!entry || entry.minute !== minute) {
      entry = { minute, pages: new Map(), cooldownUntil: cooldownUntil(renderedAt) };
      kept.set(body, entry);
    }
    const key = serialiseViewState(state);
    let page = entry.pages.get(key);
    if (!page) {
      const data: PageData = { school: options.school, timeZone: options.timeZone, dates, body, error: null, renderedAt, cooldownUntil: await entry.cooldownUntil, offline: false };
      const html = renderPage({ data, state: body === today ? { ...state, date: null } : state, now, assets: names });
      page = encodeAsset(Buffer.from(html), { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache', extra: pageHeaders(assets) });
      if (entry.pages.size < KEPT_PER_MINUTE) entry.pages.set(key, page);
    }
    return { kind: 'page', body: page };
  };
}
