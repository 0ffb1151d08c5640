// Finding a room the way students type it: "cas", "CAS 116", "cas116", "116", "general studies".

/** Lower case, letters and digits only: "CAS-116" and "cas 116" both read "cas116". */
const normalise = (text: string): string =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

export interface Searchable {
  building: string;
  buildingName: string;
  name: string;
}

/**
 * A room matches when the whole query (spaces and punctuation aside) is part of its code and
 * number ("cas116"), its number, or its building's name; or else when every word of the query is
 * part of one of those ("116 cas", "general 5"). Adding to a query never shows more rooms.
 */
export function roomMatcher(query: string): (room: Searchable) => boolean {
  const whole = normalise(query);
  if (whole === '') return () => true;
  const words = query
    .split(/\s+/)
    .map(normalise)
    .filter((word) => word !== '');
  return (room) => {
    const fields = [normalise(room.building + room.name), normalise(room.name), normalise(room.buildingName)];
    return fields.some((field) => field.includes(whole)) || words.every((word) => fields.some((field) => field.includes(word)));
  };
}
