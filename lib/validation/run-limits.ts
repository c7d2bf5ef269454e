/**
 * Limits of a run that browser code needs without the schemas (lib/validation/generations.ts, which is zod): a module
 * with no dependencies, so a page that only shows runs (the gallery) doesn't load zod for a number.
 */

/** Images per Image run. */
export const MAX_BATCH = 4;
