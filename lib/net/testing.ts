import type { OutboundTestOptions } from "@/lib/net/outbound";

/**
 * Tests only: a resolver, a connector and an allow list for this process's checked outbound client (undefined
 * restores the real ones). Kept apart so the production module (lib/net/outbound.ts) exports no switch; it reads the
 * same global. The next outboundFetch() builds a client with these options; the previous client is closed.
 */
const slot = globalThis as unknown as { atelierOutbound?: { close(): Promise<void> }; atelierOutboundTest?: OutboundTestOptions };

export function setOutboundOptionsForTests(options: OutboundTestOptions | undefined): void {
  const previous = slot.atelierOutbound;
  slot.atelierOutbound = undefined;
  slot.atelierOutboundTest = options;
  void previous?.close();
}
