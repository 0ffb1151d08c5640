import type { PageView, RoomRow } from '../page-view.ts';
import { buildingCount, renderBuildings } from '../render-rooms.ts';
import { byId, setAttr, setHidden, setText } from './dom.ts';

interface RoomElements {
  li: HTMLElement;
  status: Element | null;
  length: Element | null;
  slots: Element | null;
  fav: Element | null;
}

/**
 * Shows a view on the page. The server-rendered rooms are updated in place (focus, open details and
 * scroll stay where they are); they are rendered afresh only when the page holds other rooms.
 */
export function createRoomsDom() {
  const container = byId('rooms');
  let rooms = new Map<string, RoomElements>();
  let sections = new Map<string, HTMLElement>();

  function index(): void {
    rooms = new Map();
    for (const li of container.querySelectorAll<HTMLElement>('[data-room]')) {
      rooms.set(li.dataset.room!, { li, status: li.querySelector('.status'), length: li.querySelector('.length'), slots: li.querySelector('.slots'), fav: li.querySelector('.fav') });
    }
    sections = new Map([...container.querySelectorAll<HTMLElement>('[data-building]')].map((s) => [s.dataset.building!, s]));
  }

  const sameRooms = (view: PageView) =>
    view.buildings.length === sections.size && view.buildings.every((b) => sections.has(b.code)) && view.buildings.reduce((n, b) => n + b.rooms.length, 0) === rooms.size && view.buildings.every((b) => b.rooms.every((r) => rooms.has(r.id)));

  function update(row: RoomRow): void {
    const el = rooms.get(row.id)!;
    setHidden(el.li, !row.visible);
    setAttr(el.li, 'data-free-now', String(row.status.kind === 'free'));
    setAttr(el.li, 'data-state', row.status.kind);
    setText(el.status, row.statusText);
    setText(el.length, row.lengthText);
    setText(el.slots, row.slotsText);
    if (el.fav) setAttr(el.fav, 'aria-pressed', String(row.favourite));
  }

  index();
  return {
    show(view: PageView): void {
      if (!sameRooms(view)) {
        container.innerHTML = renderBuildings(view);
        index();
      }
      for (const block of view.buildings) {
        const section = sections.get(block.code)!;
        setHidden(section, block.shown === 0);
        setText(section.querySelector('.count'), buildingCount(block));
        block.rooms.forEach(update);
      }
      setAttr(container, 'data-date', view.moment.date);
      setAttr(container, 'data-at', view.moment.at);
      setText(byId('headline'), view.headline);
      setText(byId('date-text'), view.dateText);
      setText(byId('summary'), view.summary);
      setHidden(byId('empty'), view.shown > 0);
    },
  };
}
