import { writeFile } from 'node:fs/promises';
import type { Slot } from '../domain/free-slots.ts';
import { loadCatalog } from './catalog-file.ts';
import type { Invocation } from './cli-args.ts';
import type { Config } from './config.ts';
import { createSource, upstreamOf } from './upstream.ts';

/* The commands that ask 25Live directly, not through the service and its cache. */

type Command = Extract<Invocation, { kind: 'command' }>;

/** `catalog discover`: a catalog from the tenant's location list, checked as the service will read it. */
export async function discoverCommand(invocation: Command, config: Config): Promise<number> {
  const { discoverCatalog } = await import('./discover.ts');
  const { parseCatalog } = await import('./catalog-file.ts');
  const tenant = invocation.tenant!;
  const origin = invocation.origin ?? (config.API_URL ? new URL(config.API_URL).origin : 'https://25live.collegenet.com');
  const catalog = await discoverCatalog({
    listUrl: `${origin.replace(/\/$/, '')}/25live/data/${tenant}/run/list/listdata.json`,
    tenant,
    buildings: invocation.buildings,
    school: invocation.school ?? tenant,
    timeZone: invocation.timeZone!,
    userAgent: config.USER_AGENT,
    progress: (line) => console.error(`catalog discover: ${line}`),
  });
  const text = `${JSON.stringify(catalog, null, 2)}\n`;
  parseCatalog(text, 'the discovered catalog'); // what the service will read back
  if (invocation.out) {
    await writeFile(invocation.out, text);
    console.error(
      `catalog discover: wrote ${catalog.classrooms.length} rooms in ${catalog.buildings.length} buildings to ${invocation.out}; opening hours are 07:00–23:00 for every building: edit them there`,
    );
  } else {
    process.stdout.write(text);
  }
  return 0;
}

/** `compare-sources`: exit 0 when every difference between the two views is explained. */
export async function compareCommand(date: string | undefined, json: boolean, config: Config): Promise<number> {
  const { compareSources } = await import('./compare-sources.ts');
  const { createCampusClock } = await import('../adapters/campus-clock.ts');
  const catalog = loadCatalog(config.CATALOG_FILE);
  const upstream = upstreamOf(config, catalog);
  const perRoom = createSource(config, catalog, upstream, { mode: 'per-room' });
  const batched = createSource(config, catalog, upstream, { mode: 'batched' });
  const day = date ?? createCampusClock({ zone: catalog.timeZone }).now().date;
  try {
    const differences = await compareSources(catalog, perRoom, batched, day);
    const unexplained = differences.filter((d) => d.explained === null);
    if (json) {
      console.log(
        JSON.stringify(
          {
            date: day,
            rooms: catalog.classrooms.length,
            differences: differences.map((d) => ({
              id: String(d.room.spaceId),
              building: d.room.building,
              name: d.room.name,
              availability: d.availability,
              reservations: d.reservations,
              explained: d.explained,
            })),
          },
          null,
          2,
        ),
      );
    } else {
      const slots = (list: Slot[] | null) => (list === null ? 'unknown (failed)' : list.length === 0 ? 'none' : list.map((s) => `${s.start.slice(0, 5)}–${s.end.slice(0, 5)}`).join(', '));
      for (const d of differences) {
        console.log(
          `${d.room.building} ${d.room.name} (${d.room.spaceId}): availability view ${slots(d.availability)}; reservations view ${slots(d.reservations)}; ${d.explained ? `only the availability view lists: ${d.explained}` : 'UNEXPLAINED: the views list different reservations'}`,
        );
      }
      console.log(
        `${catalog.classrooms.length} rooms on ${day}: ${differences.length} differ, ${differences.length - unexplained.length} explained by closures or blackouts that only the availability view lists, ${unexplained.length} unexplained`,
      );
    }
    return unexplained.length === 0 ? 0 : 1;
  } finally {
    await Promise.all([perRoom.close(), batched.close()]);
  }
}
