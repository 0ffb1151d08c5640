export { generateDay, generateSchedule } from './generate-schedule.ts';
export type { SimulatedItem, SimulatedSubject } from './generate-schedule.ts';
export { startTwentyFiveLiveSimulator } from './simulator-server.ts';
export type { FailureMode, FailureOptions, TwentyFiveLiveSimulator } from './simulator-server.ts';
