// emptyclassroom/25live: the 25Live client (undici) and its parser.
export { createTwentyFiveLiveSource, retryAfterMs, type TwentyFiveLiveSourceOptions } from './adapters/twenty-five-live-source.ts';
export { parseAvailabilityBody } from './adapters/twenty-five-live-parser.ts';
