// Favourite rooms, by 25Live space id, in localStorage: they survive reloads and outlive sessions.

const KEY = 'emptyclassroom.favourites';

export interface Favourites {
  all(): ReadonlySet<string>;
  toggle(id: string): boolean;
}

/** Storage may be missing or refuse writes (private windows, full quota): favourites then last for the visit. */
export function createFavourites(storage: Storage | null): Favourites {
  let ids = new Set<string>();
  try {
    const saved: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    if (Array.isArray(saved)) ids = new Set(saved.filter((id): id is string => typeof id === 'string'));
  } catch {
    // unreadable: start empty
  }
  return {
    all: () => ids,
    toggle(id) {
      ids = new Set(ids);
      const added = !ids.delete(id);
      if (added) ids.add(id);
      try {
        storage?.setItem(KEY, JSON.stringify([...ids]));
      } catch {
        // kept in memory only
      }
      return added;
    },
  };
}
