/**
 * Transitional: the generation service was split by job (catalog.ts, estimate.ts, submit.ts, assets.ts; its reads
 * and DTOs are in lib/data/generations.ts, media.ts and assets.ts). These re-exports keep the run lifecycle's modules
 * (worker.ts, prepare.ts), which are being reorganised separately, compiling until their imports point at the new
 * homes; nothing new should import from here.
 */
export { catalogFor, generationCatalogOf } from "@/lib/generations/catalog";
export { balanceShortMessage, estimateBuilt } from "@/lib/generations/estimate";
