import "server-only";
import { circuitBreakerRegistry } from "@/lib/providers/http/circuit-breaker";

/**
 * Test entry point for the provider HTTP layer: switches that only tests need, kept out of the production modules.
 */

/** Forgets every circuit breaker of this process, so one test's failures cannot open another test's breaker. */
export function resetCircuitBreakers(): void {
  circuitBreakerRegistry.clear();
}
