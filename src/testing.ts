// emptyclassroom/testing: what you need to write and check your own adapters (runs under your vitest).
export { clockChecks, clockContract, type ClockUnderTest } from './testing/clock-contract.ts';
export { createFakeStore, type FakeStore } from './testing/fake-store.ts';
export { createManualClock, type ManualClock } from './testing/manual-clock.ts';
export { sourceChecks, sourceContract, type SourceUnderTest } from './testing/source-contract.ts';
export { operatorStoreContract, storeContract, type StorePorts, type StoreUnderTest } from './testing/store-contract.ts';
export { createStubScheduleSource, type StubSource } from './testing/stub-schedule-source.ts';
