import { createServer } from 'node:http';
import { BU_CATALOG, createClassroomService, ServiceError } from 'emptyclassroom';
import { createCampusClock } from 'emptyclassroom/clock';
import { createMapStore } from './map-store.js';
import { createTimetableSource } from './timetable-source.js';

const store = createMapStore();
const service = createClassroomService({
  store,
  leases: store,
  backoffs: store,
  source: createTimetableSource(),
  sourceId: 'timetable:v1',
  clock: createCampusClock({ zone: BU_CATALOG.timeZone }),
  catalog: BU_CATALOG,
});
service.start({ refreshAt: [5] });

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname !== '/free-rooms') throw Object.assign(new Error('Not Found'), { status: 404 });
    const at = url.searchParams.get('at') ?? undefined;
    const answer = await service.freeRooms(at === undefined ? {} : { at });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  } catch (error) {
    const status = error instanceof ServiceError ? 503 : ((error as { status?: number }).status ?? 500);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: (error as Error).message }));
  }
});

server.listen(Number(process.env.PORT ?? 8080), () => console.log(`free rooms at http://localhost:${(server.address() as { port: number }).port}/free-rooms`));
process.once('SIGTERM', () => {
  service.stop();
  server.close();
});
