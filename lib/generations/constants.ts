/** The job queue that sends, tracks and ingests a generation (one job per generation, key `generation:<id>`). */
export const GENERATION_QUEUE = "generation.submit";
