import { setHidden, setText } from './dom.ts';

interface BannerState {
  /** The data shown is the last good copy, served while 25Live fails. */
  stale: boolean;
  /** The service had no data to give (its detail), or null. */
  error: string | null;
  /** The network or the server is out of reach. */
  offline: boolean;
  /** When the data shown was fetched, `7:13 AM`; null when there is none. */
  since: string | null;
}

const banner = (name: string) => document.querySelector<HTMLElement>(`[data-banner="${name}"]`)!;

/** The three banners, each with its hook (`data-banner="stale|error|offline"`). */
export function showBanners(state: BannerState): void {
  setText(banner('stale').querySelector('.since'), state.since ?? 'earlier');
  setText(banner('offline').querySelector('.since'), state.since ? `data from ${state.since}` : 'no data saved on this device yet');
  setHidden(banner('stale'), !state.stale);
  // Offline says it all; an error banner would only repeat it.
  setHidden(banner('offline'), !state.offline);
  setHidden(banner('error'), state.error === null || state.offline);
  setText(banner('error').querySelector('.detail'), state.error ?? '');
}
