export { generateDay, generateSchedule, SIMULATED_DAYS } from './generate-schedule.ts';
export type { AvailabilityBody, SimulatedItem, SimulatedSubject } from './generate-schedule.ts';
export { startTwentyFiveLiveSimulator } from './simulator-server.ts';
export type { FailureMode, FailureOptions, SimulatorOptions, TwentyFiveLiveSimulator } from './simulator-server.ts';
