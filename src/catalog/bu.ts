import type { Catalog } from '../domain/catalog.ts';
import buCatalog from './bu-catalog.json' with { type: 'json' };

/** Boston University's buildings, opening hours and 77 rooms with their 25Live space ids. */
export const BU_CATALOG: Catalog = buCatalog;
