import { campusMinute } from '../campus-time.ts';
import { formatTime12 } from '../twelve-hour.ts';

export interface RefreshDeps {
  timeZone: string;
  /** After a refresh: load the new data and show it. */
  refreshed(): Promise<void>;
  offline(): void;
}

const retryAfterMs = (res: Response): number | null => {
  const seconds = Number(res.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
};

/** The old page's habit, kept as a fallback: the minutes are in the 429's text ("Please wait 12.3 more minutes."). */
const minutesInDetail = (detail: unknown): number | null => {
  const match = typeof detail === 'string' ? /([\d.]+) more minutes/.exec(detail) : null;
  return match ? Number(match[1]) * 60_000 : null;
};

async function cooldownMs(): Promise<number> {
  try {
    const status = (await (await fetch('/api/cooldown-status')).json()) as { in_cooldown?: boolean; remaining_minutes?: number };
    return status.in_cooldown ? (status.remaining_minutes ?? 0) * 60_000 : 0;
  } catch {
    return 0;
  }
}

/**
 * The refresh button: asks the service to fetch from 25Live now. Within the cooldown (429) or the
 * backoff after a 25Live failure (503) it stays disabled until the time the service gave, and says
 * when that is on the campus clock.
 */
export function wireRefresh(button: HTMLButtonElement, note: HTMLElement, deps: RefreshDeps): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const at = (ms: number) => formatTime12(campusMinute(Date.now() + ms, deps.timeZone).time);
  const say = (text: string) => (note.textContent = text);
  const holdFor = (ms: number, text: string) => {
    button.disabled = ms > 0;
    say(text);
    clearTimeout(timer);
    if (ms > 0) timer = setTimeout(() => ((button.disabled = false), say('')), ms);
  };

  button.addEventListener('click', async () => {
    button.disabled = true;
    say('Asking 25Live for the latest bookings…');
    let res: Response;
    try {
      res = await fetch('/api/refresh', { method: 'POST' });
    } catch {
      holdFor(0, 'You are offline. Try again once you are back online.');
      deps.offline();
      return;
    }
    const body = (await res.json().catch(() => ({}))) as { detail?: string };
    if (res.ok) {
      await deps.refreshed();
      const wait = await cooldownMs();
      holdFor(wait, wait > 0 ? `Updated just now. Next refresh at ${at(wait)}.` : 'Updated just now.');
    } else if (res.status === 429) {
      const wait = retryAfterMs(res) ?? minutesInDetail(body.detail) ?? 60_000;
      holdFor(wait, `Refreshed recently. Next refresh at ${at(wait)}.`);
    } else if (res.status === 503) {
      const wait = retryAfterMs(res) ?? 30_000;
      holdFor(wait, `${body.detail ?? 'The service is not answering'}. Try again at ${at(wait)}.`);
    } else {
      holdFor(0, `Refresh failed: ${body.detail ?? `the service answered ${res.status}`}.`);
    }
  });
}
