import type { PageView, RoomRow } from '../page-view.ts';
import { availableText, renderBuildings, roomAttributes, roomBody } from '../render-rooms.ts';
import { byId, setAttr, setHidden, setText } from './dom.ts';

interface RoomElements {
  li: HTMLElement;
  body: HTMLElement;
  fav: HTMLElement;
  /** What `body` was last given; null for the server's own rendering. */
  html: string | null;
}

/**
 * Shows a view on the page. The server-rendered rooms are kept and updated in place (focus, scroll
 * and open sections stay); they are moved, not copied, to the favourites or into the order asked
 * for. Sections are rendered afresh only when the page holds other rooms (it came as an error page).
 */
export function createRoomsDom() {
  const container = byId('rooms');
  let rooms = new Map<string, RoomElements>();
  let sections = new Map<string, HTMLElement>();

  function index(): void {
    rooms = new Map(
      [...container.querySelectorAll<HTMLElement>('[data-room]')].map((li) => [
        li.dataset.room!,
        { li, body: li.querySelector<HTMLElement>('.room-body')!, fav: li.querySelector<HTMLElement>('.fav')!, html: null },
      ]),
    );
    sections = new Map([...container.querySelectorAll<HTMLElement>('[data-building], #pinned')].map((s) => [s.dataset.building ?? 'pinned', s]));
  }

  const holds = (view: PageView) => {
    const ids = [...view.pinned, ...view.buildings.flatMap((b) => b.rooms)].map((r) => r.id);
    return ids.length === rooms.size && ids.every((id) => rooms.has(id)) && sections.size === view.buildings.length + 1 && view.buildings.every((b) => sections.has(b.code));
  };

  /** Puts the rooms' elements into `list` in this order (moving them from wherever they are). */
  function place(list: Element, rows: readonly RoomRow[]): void {
    rows.forEach((row, i) => {
      const { li } = rooms.get(row.id)!;
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null);
    });
  }

  function update(row: RoomRow, view: PageView, trusted: boolean): void {
    const room = rooms.get(row.id)!;
    setHidden(room.li, !row.visible);
    for (const [name, value] of roomAttributes(row)) setAttr(room.li, name, value);
    const html = roomBody(row, view.window, view.moment.at);
    if (room.html !== html && !trusted) room.body.innerHTML = html;
    room.html = html;
    setAttr(room.fav, 'aria-pressed', String(row.favourite));
  }

  index();
  return {
    /**
     * `asRendered`: the view is the one the server rendered (same minute, no favourites), so the
     * rooms' bodies are already right and are not written again (77 of them, on a slow phone).
     */
    show(view: PageView, asRendered = false): void {
      if (!holds(view)) {
        container.innerHTML = renderBuildings(view);
        index();
      }
      const pinned = sections.get('pinned')!;
      place(pinned.querySelector('.rooms')!, view.pinned);
      setHidden(pinned, !view.pinned.some((r) => r.visible));
      for (const block of view.buildings) {
        const section = sections.get(block.code)!;
        place(section.querySelector('.rooms')!, block.rooms);
        setHidden(section, block.shown === 0);
        setText(section.querySelector('.count'), availableText(block));
        // While searching, every section with a match opens, even one the student closed.
        if (view.searching && block.shown > 0) section.querySelector('details')!.open = true;
      }
      for (const row of view.pinned) update(row, view, asRendered);
      for (const block of view.buildings) for (const row of block.rooms) update(row, view, asRendered);
      setAttr(container, 'data-date', view.moment.date);
      setAttr(container, 'data-at', view.moment.at);
      setText(byId('headline'), view.headline);
      setText(byId('date-text'), view.dateText);
      setText(byId('summary'), view.summary);
      setHidden(byId('empty'), view.shown > 0);
    },
  };
}
