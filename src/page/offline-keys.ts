// Where the page and its service worker keep what a visit without network needs.

/** Not versioned: the last answers outlive an update of the page's assets. */
export const DATA_CACHE = 'emptyclassroom-data';

/** The page's data (today's answer, the days, the zone) with its script and style, saved by the page whenever it has newer. */
export const SAVED_PAGE = '/offline/page-data.json';

/** The assets' cache, named for their version: an update starts a new one and drops the old. */
export const assetCache = (version: string): string => `emptyclassroom-assets-${version}`;

/** Marks an answer the worker gave from its cache because the network failed: the page is offline then, whatever the browser says. */
export const FROM_CACHE_HEADER = 'x-emptyclassroom-from-cache';
