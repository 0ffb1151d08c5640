import { dayOptions, filtersSummary, lengthOptions, seatsOptions } from '../render-controls.ts';
import { parseViewState, serialiseViewState, type ViewState } from '../view-state.ts';
import { byId, setText } from './dom.ts';

/**
 * The form's fields as a view, and back. The form stays what the server rendered (a GET form that
 * works without the script); the script reads it on every change instead of submitting it.
 */
export function createControls(onChange: (state: ViewState) => void) {
  const form = byId<HTMLFormElement>('controls');
  const q = byId<HTMLInputElement>('q');
  const date = byId<HTMLSelectElement>('date');
  const at = byId<HTMLInputElement>('at');
  const length = byId<HTMLSelectElement>('for');
  const order = byId<HTMLSelectElement>('order');
  const fav = byId<HTMLInputElement>('fav');
  // Only where the catalog has capacities and features.
  const seats = document.getElementById('seats') as HTMLSelectElement | null;
  const features = () => [...form.querySelectorAll<HTMLInputElement>('input[name="feature"]')];
  let dates: readonly string[] = [];
  const more = byId<HTMLDetailsElement>('more');
  // On a wide screen the filters stay open (their toggle is hidden there).
  const wide = matchMedia('(min-width: 52rem)');
  const fold = () => {
    if (wide.matches) more.open = true;
  };
  wide.addEventListener('change', fold);
  fold();

  const read = (): ViewState => {
    const raw: ViewState = {
      q: q.value,
      date: date.value || null,
      at: at.value.slice(0, 5) || null,
      for: length.value === '' ? null : Number(length.value),
      order: order.value === 'longest' ? 'longest' : 'name',
      fav: fav.checked,
      seats: seats && seats.value !== '' ? Number(seats.value) : null,
      features: features()
        .filter((box) => box.checked)
        .map((box) => box.value),
    };
    // Through the URL form and back: the same checks as a link gets.
    return parseViewState(serialiseViewState(raw), dates);
  };

  const changed = () => {
    const state = read();
    setText(byId('more-set'), filtersSummary(state, dates));
    onChange(state);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    changed();
  });
  byId('now').addEventListener('click', () => {
    at.value = '';
    changed();
  });
  // Keyboard: "/" jumps to the search from anywhere but a field; Escape clears it.
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !target.closest('input, select, textarea')) {
      event.preventDefault();
      q.focus();
      q.select();
    }
  });
  q.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && q.value !== '') {
      event.preventDefault();
      q.value = '';
      changed();
    }
  });

  return {
    read,
    /** Puts a view into the fields (on load, and when filters are cleared). */
    write(state: ViewState, days: readonly string[]): void {
      if (days !== dates) {
        dates = days;
        date.innerHTML = dayOptions(days, state.date);
      }
      q.value = state.q;
      date.value = state.date ?? '';
      at.value = state.at ?? '';
      length.innerHTML = lengthOptions(state.for);
      order.value = state.order === 'longest' ? 'longest' : '';
      fav.checked = state.fav;
      if (seats) seats.innerHTML = seatsOptions(state.seats);
      const wanted = new Set(state.features.map((feature) => feature.toLowerCase()));
      for (const box of features()) box.checked = wanted.has(box.value.toLowerCase());
      setText(byId('more-set'), filtersSummary(state, days));
    },
  };
}
