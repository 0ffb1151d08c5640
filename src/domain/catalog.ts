import { UnknownBuildingError } from './errors.ts';

/** A building with its opening hours as decimal hours on the campus wall clock. */
export interface Building {
  code: string;
  name: string;
  opens: number;
  closes: number;
}

/** A bookable room; `spaceId` is its 25Live space id. */
export interface Classroom {
  spaceId: number;
  name: string;
  building: string;
  /** Seats, when the catalog knows them (25Live's `max_capacity`). */
  capacity?: number;
  /** What the room has (`Projector`, `Whiteboard`, ...), when the catalog knows it. */
  features?: string[];
}

export interface Catalog {
  school: string;
  /** The campus wall clock, an IANA time zone (`America/New_York`). */
  timeZone: string;
  /** The school's 25Live tenant (`bu`). */
  tenant: string;
  buildings: Building[];
  classrooms: Classroom[];
}

export function buildingOf(catalog: Catalog, room: Classroom): Building {
  const building = catalog.buildings.find((b) => b.code === room.building);
  if (!building) throw new Error(`room ${room.spaceId} names unknown building ${room.building}`);
  return building;
}

/** The building code, as the catalog spells it, that `asked` names in any case; codes differ by more than case. */
export function findBuildingCode(codes: Iterable<string>, asked: string): string | undefined {
  const wanted = asked.toUpperCase();
  for (const code of codes) if (code.toUpperCase() === wanted) return code;
  return undefined;
}

/** The catalog's spelling of the building `asked` names (any case); an unknown one is refused, naming the known ones. */
export function buildingCodeOf(codes: readonly string[], asked: string): string {
  const code = findBuildingCode(codes, asked);
  if (code === undefined) throw new UnknownBuildingError(`Unknown building ${JSON.stringify(asked.length > 20 ? `${asked.slice(0, 20)}…` : asked)}; known buildings: ${codes.join(', ')}`);
  return code;
}

export function findClassroom(catalog: Catalog, query: string): Classroom | undefined {
  const wanted = query.trim().replace(/\s+/g, ' ').toUpperCase();
  return catalog.classrooms.find((room) => String(room.spaceId) === wanted || `${room.building} ${room.name}`.toUpperCase() === wanted);
}
