// emptyclassroom/clock: the campus clock (luxon), in any IANA time zone.
export { createCampusClock, instantAt, parseInstant } from './adapters/campus-clock.ts';
