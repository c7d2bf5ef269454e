import "server-only";
import { createHash } from "node:crypto";
import { ConsecutiveBreaker } from "cockatiel";
import { ProviderError, type ProviderName } from "@/lib/providers/http/errors";

/**
 * One circuit breaker per provider connection (provider + base URL + a hash of the key), kept in a module-level
 * registry so every client built for the same connection shares it within this process.
 *
 * Promises:
 * - Counts consecutive failures that say "the provider is not answering": network errors, timeouts and 5xx.
 *   A 429 or any other 4xx is an answer from a healthy provider and resets the count.
 * - After `failureThreshold` (5) consecutive failures it opens: every request fails fast with `unavailable`
 *   before anything is sent (so a create refused by an open breaker was certainly not sent).
 * - After `cooldownMs` (30 s) it half-opens and lets exactly one trial request through; success closes it,
 *   failure opens it again for another cooldown.
 *
 * The count is cockatiel's `ConsecutiveBreaker`. The open/half-open timing stays ours, on purpose: cockatiel's
 * `CircuitBreakerPolicy` (3.2) would change promised behaviour. It queues the callers that arrive during a half-open
 * trial behind it and then runs them, where we refuse them at once (a create refused here was certainly not sent, and
 * a job should try later rather than hold its lease); its `execute` is asynchronous, so "refused before sending"
 * could not be decided before the request is built; and it reads `Date.now()` itself, where the provider clients
 * inject their clock.
 */

export type BreakerState = "closed" | "open" | "half_open";

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  now?: () => number;
}

export class CircuitBreaker {
  readonly provider: ProviderName;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly failures: ConsecutiveBreaker;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(provider: ProviderName, options: CircuitBreakerOptions = {}) {
    this.provider = provider;
    this.failures = new ConsecutiveBreaker(options.failureThreshold ?? 5);
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.cooldownMs ? "half_open" : "open";
  }

  /** Call before sending. Throws `unavailable` while open (or while the half-open trial is in flight). */
  beforeRequest(): void {
    const state = this.state;
    if (state === "closed") return;
    if (state === "half_open" && !this.trialInFlight) {
      this.trialInFlight = true;
      return;
    }
    const retryAfterMs = this.openedAt === null ? undefined : Math.max(0, this.openedAt + this.cooldownMs - this.now());
    throw new ProviderError(this.provider, "unavailable", `${this.provider} circuit breaker is open; request not sent`, {
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  recordSuccess(): void {
    this.failures.success();
    this.openedAt = null;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    if (this.trialInFlight || this.openedAt !== null) {
      // A failed trial (or a late failure while open) restarts the cooldown.
      this.openedAt = this.now();
      this.trialInFlight = false;
      return;
    }
    if (this.failures.failure()) this.openedAt = this.now();
  }

  /** Release a half-open trial slot without a verdict (e.g. the caller aborted). */
  releaseTrial(): void {
    this.trialInFlight = false;
  }
}

/** Every breaker of this process, by `breakerKey`. Tests clear it through lib/providers/http/testing.ts. */
export const circuitBreakerRegistry = new Map<string, CircuitBreaker>();

export function breakerKey(provider: ProviderName, baseUrl: string, credential: string): string {
  const keyHash = createHash("sha256").update(credential).digest("hex").slice(0, 16);
  return `${provider}|${baseUrl.replace(/\/+$/, "")}|${keyHash}`;
}

/** The shared breaker for a provider connection; created on first use. */
export function getCircuitBreaker(
  provider: ProviderName,
  baseUrl: string,
  credential: string,
  options: CircuitBreakerOptions = {},
): CircuitBreaker {
  const key = breakerKey(provider, baseUrl, credential);
  let breaker = circuitBreakerRegistry.get(key);
  if (!breaker) {
    breaker = new CircuitBreaker(provider, options);
    circuitBreakerRegistry.set(key, breaker);
  }
  return breaker;
}
