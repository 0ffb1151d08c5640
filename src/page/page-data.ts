import type { OpenClassrooms } from '../domain/organise.ts';
import type { CampusMinute } from './campus-time.ts';
import type { ViewState } from './view-state.ts';

/** What the server hands the script inside the page (`<script type="application/json" id="page-data">`). */
export interface PageData {
  /** The school's name, from the catalog. */
  school: string;
  /** The campus time zone, from the catalog: the page's clock, whatever the device's zone. */
  timeZone: string;
  /** The days that can be shown, today first (`/api/dates`); empty when the service has no data. */
  dates: string[];
  /** The answer for the day shown (`/api/open-classrooms[?date=]`), or null when the service had none. */
  body: OpenClassrooms | null;
  /** Why there is no answer (the service's `detail`). */
  error: string | null;
  /** When the server rendered the page, epoch ms: a page older than a minute or two came from a cache. */
  renderedAt: number;
  /** When the refresh cooldown ends, epoch ms (0: no cooldown); null when it could not be read. */
  cooldownUntil: number | null;
  /** Rendered by the service worker because the network failed. */
  offline: boolean;
}

/** Everything a page is rendered from: the data, the view asked for, now, and the built assets. */
export interface PageModel {
  data: PageData;
  state: ViewState;
  now: CampusMinute;
  assets: PageAssetNames;
}

export interface PageAssetNames {
  /** The fingerprinted script's path, e.g. `/assets/page-3f2a9c1b7d.js`. */
  script: string;
  /** The style sheet, inlined: one round trip less before the rooms show. */
  css: string;
}

/** What the page saves for its service worker: its data, and what it was rendered with (no request needed). */
export interface SavedPage extends PageData {
  assets: PageAssetNames;
}
