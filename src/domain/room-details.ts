/** A room's details as the catalog knows them (either may be unknown). */
export interface RoomDetails {
  capacity?: number;
  features?: readonly string[];
}

/**
 * Whether a room passes a filter on seats and features: at least `minCapacity` seats (a room whose
 * capacity is unknown never passes), and every feature named, in any case.
 */
export function hasDetails(room: RoomDetails, minCapacity: number | undefined, features: readonly string[]): boolean {
  if (minCapacity !== undefined && (room.capacity === undefined || room.capacity < minCapacity)) return false;
  if (features.length === 0) return true;
  const has = new Set((room.features ?? []).map((feature) => feature.toLowerCase()));
  return features.every((feature) => has.has(feature.toLowerCase()));
}
