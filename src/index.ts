// emptyclassroom: the core. It loads no third-party module; adapters are subpaths (emptyclassroom/redis, /memory, /25live, /clock, /http).
export { createClassroomService, type ClassroomService, type RefreshOutcome, type ServiceDeps, type ServiceEvent, type ServicePolicy, type WakeUp } from './domain/classroom-service.ts';
export { DEFAULT_POLICY } from './domain/service-policy.ts';
export { BackoffError, CacheUnavailableError, DateOutOfRangeError, NoDataError, ServiceError, UnknownBuildingError, UpstreamError, type ErrorCode, type UpstreamReason } from './domain/errors.ts';
export { BU_CATALOG } from './catalog/bu.ts';
export type { Building, Catalog, Classroom } from './domain/catalog.ts';
export type { Availability, Days, Snapshot } from './domain/snapshot.ts';
export type { Booking, ScheduleDay } from './domain/schedule.ts';
export type { Slot } from './domain/free-slots.ts';
export type { BuildingView, OpenClassrooms, RoomView } from './domain/organise.ts';
export type { DatesBody, FreeRoomsBody, FreeRoomsQuery } from './domain/day-views.ts';
export type { Backoff } from './domain/backoff.ts';
export type { Cooldown } from './domain/cooldown.ts';
export type { Freshness } from './domain/freshness.ts';
// The rules themselves, pure: usable anywhere, a browser included.
export { freeSlots } from './domain/free-slots.ts';
export { freeRoomsAt, type FreeRoom } from './domain/free-rooms.ts';
export { compareRoomNames } from './domain/room-order.ts';
export { bookingsByDate, reservationsOf } from './domain/schedule.ts';
// The ports, to write adapters against.
export type { ClockPort, Instant } from './ports/clock-port.ts';
export type { SnapshotStorePort, StoredHead } from './ports/snapshot-store-port.ts';
export type { Acquired, Lease, LeaseName, LeasePort } from './ports/lease-port.ts';
export type { BackoffPort } from './ports/backoff-port.ts';
export type { ScheduleSourcePort } from './ports/schedule-source-port.ts';
