export interface RefreshDeps {
  /** After a refresh: load the new data and show it. */
  refreshed(): Promise<void>;
  offline(): void;
}

const retryAfterMs = (res: Response): number | null => {
  const seconds = Number(res.headers.get('retry-after'));
  return res.headers.has('retry-after') && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
};

/** The old page's habit, kept as a fallback: the minutes are in the 429's text ("Please wait 12.3 more minutes."). */
const minutesInDetail = (detail: unknown): number | null => {
  const match = typeof detail === 'string' ? /([\d.]+) more minutes/.exec(detail) : null;
  return match ? Number(match[1]) * 60_000 : null;
};

const detailOf = async (res: Response): Promise<string | undefined> => ((await res.json().catch(() => ({}))) as { detail?: string }).detail;

/**
 * The refresh button: asks the service to fetch from 25Live now. During the cooldown (or the
 * backoff after a 25Live failure) it is disabled and counts the minutes left on its label.
 */
export function createRefreshButton(button: HTMLButtonElement, note: HTMLElement, deps: RefreshDeps) {
  let until = 0;
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const say = (text: string) => (note.textContent = text);

  /** The label, and a timer for the moment its count of minutes next changes (or the wait ends). */
  function show(): void {
    const left = until - Date.now();
    button.disabled = busy || left > 0;
    button.textContent = busy ? 'Refreshing…' : left > 0 ? `Refresh in ${Math.ceil(left / 60_000)} min` : 'Refresh';
    clearTimeout(timer);
    const showAndClear = () => {
      show();
      say('');
    };
    if (left > 0) timer = setTimeout(left <= 60_000 ? showAndClear : show, left % 60_000 || 60_000);
  }

  function hold(untilMs: number): void {
    until = untilMs;
    show();
  }

  /** Asks `/api/cooldown-status` (after a refresh, or when the page could not tell). */
  async function check(): Promise<void> {
    try {
      const res = await fetch('/api/cooldown-status');
      if (!res.ok) return void say(`The refresh cooldown cannot be read right now (${(await detailOf(res)) ?? res.status}).`);
      const status = (await res.json()) as { in_cooldown?: boolean; remaining_minutes?: number };
      hold(status.in_cooldown ? Date.now() + (status.remaining_minutes ?? 0) * 60_000 : 0);
    } catch {
      // offline: the banner says so
    }
  }

  button.addEventListener('click', async () => {
    busy = true;
    show();
    say('Asking 25Live for the latest bookings…');
    let res: Response;
    try {
      res = await fetch('/api/refresh', { method: 'POST' });
    } catch {
      busy = false;
      show();
      say('You are offline. Try again once you are back online.');
      return deps.offline();
    }
    busy = false;
    if (res.ok) {
      await deps.refreshed();
      say('Updated just now.');
      return check();
    }
    const detail = await detailOf(res);
    if (res.status === 429) {
      hold(Date.now() + (retryAfterMs(res) ?? minutesInDetail(detail) ?? 60_000));
      say('Refreshed recently: the data is as new as the cooldown allows.');
    } else if (res.status === 503) {
      hold(Date.now() + (retryAfterMs(res) ?? 30_000));
      say(`${detail ?? 'The service is not answering'}.`);
    } else {
      show();
      say(`Refresh failed: ${detail ?? `the service answered ${res.status}`}.`);
    }
  });

  return { hold, check };
}
