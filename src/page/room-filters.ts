import type { OpenClassrooms, RoomView } from '../domain/organise.ts';

/** What the catalog tells about the rooms of an answer, so the page offers only filters that can match. */
export interface OfferedFilters {
  /** Some room has a capacity: the seats filter is offered. */
  capacities: boolean;
  /** Every feature any room has, in natural (case-insensitive) order. */
  features: string[];
}

const byText = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' });

export function offeredFilters(body: OpenClassrooms | null): OfferedFilters {
  const rooms = body ? Object.values(body.buildings).flatMap((building) => building.classrooms) : [];
  const features = new Map<string, string>();
  for (const room of rooms) for (const feature of room.features ?? []) if (!features.has(feature.toLowerCase())) features.set(feature.toLowerCase(), feature);
  return { capacities: rooms.some((room) => room.capacity !== undefined), features: [...features.values()].sort(byText) };
}

/** `40 seats · Projector, Whiteboard`, or empty when the catalog knows neither. */
export function detailsText(room: Pick<RoomView, 'capacity' | 'features'>): string {
  const parts = [room.capacity === undefined ? '' : `${room.capacity} ${room.capacity === 1 ? 'seat' : 'seats'}`, (room.features ?? []).join(', ')];
  return parts.filter((part) => part !== '').join(' · ');
}

/** Sorted, without repeats in any case: one URL per set of features. */
export function normaliseFeatures(features: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const feature of features.map((f) => f.trim()).filter((f) => f !== '')) if (!seen.has(feature.toLowerCase())) seen.set(feature.toLowerCase(), feature);
  return [...seen.values()].sort(byText);
}
