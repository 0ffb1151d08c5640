// The location list (`list/listdata.json`) of the simulator: the catalog's rooms, a few spaces
// that are not classrooms, columns in an order of the tenant's own, and pages.
import { buildingOf, type Catalog } from '../../domain/catalog.ts';
import { pick, randomFor } from './seeded-random.ts';

const COLUMNS = ['name', 'formal_name', 'max_capacity', 'bldg_name', 'features', 'categories', 'default_capacity'] as const;
const FEATURES = ['Projector', 'Whiteboard', 'Chalkboard', 'Lecture capture', 'Video conferencing', 'Accessible seating', 'Document camera'];

type Row = Record<(typeof COLUMNS)[number], string | number> & { contextId: number };

function rowsOf(catalog: Catalog, seed: number): Row[] {
  const rows: Row[] = catalog.classrooms.map((room) => {
    const building = buildingOf(catalog, room);
    const random = randomFor(seed, room.spaceId, 'list');
    const features = room.features ?? FEATURES.filter(() => random() < 0.3);
    const capacity = room.capacity ?? 10 + Math.floor(random() * 140);
    return {
      contextId: room.spaceId,
      name: `${building.code} ${room.name}`,
      formal_name: `${building.name} ${room.name}`,
      max_capacity: capacity,
      default_capacity: Math.round(capacity * 0.8),
      bldg_name: building.name,
      features: features.join(', '),
      categories: 'Classroom',
    };
  });
  // Spaces that are not classrooms, in a building of their own: discovery asked for buildings leaves them out.
  const random = randomFor(seed, 'offices');
  for (let i = 1; i <= 5; i += 1) {
    rows.push({
      contextId: 990_000 + i,
      name: `ADM ${100 + i}`,
      formal_name: `Administration ${100 + i}`,
      max_capacity: 2 + Math.floor(random() * 4),
      default_capacity: 2,
      bldg_name: 'Administration',
      features: pick(random, ['', 'Phone']),
      categories: 'Office',
    });
  }
  return rows.sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** Page `page` (from 1) of `pageSize` rows, with the tenant's own column order; null for a page that is not a number. */
export function listBody(catalog: Catalog, page: number, pageSize: number, seed: number): object | null {
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1) return null;
  const random = randomFor(seed, catalog.tenant, 'columns');
  const columns: Array<(typeof COLUMNS)[number]> = [...COLUMNS];
  for (let i = columns.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [columns[i], columns[j]] = [columns[j]!, columns[i]!];
  }
  const all = rowsOf(catalog, seed);
  const pages = Math.max(1, Math.ceil(all.length / pageSize));
  const rows = all.slice((page - 1) * pageSize, page * pageSize).map((row, i) => ({
    row: columns.map((column) => row[column]),
    contextId: row.contextId,
    pages,
    ...(i === 0 ? { count: all.length } : {}),
  }));
  return { cols: columns.map((prefname, i) => ({ prefname, name: prefname.replace(/_/g, ' '), col_id: i + 1 })), rows };
}
