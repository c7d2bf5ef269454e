/**
 * A v4 UUID for a submission. crypto.randomUUID exists only in secure contexts (https, localhost); a self-hosted
 * studio reached over plain http on a LAN still has crypto.getRandomValues, so build the UUID from that.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One key per intended run: the same payload keeps its key until a submission of it succeeds, so a double click or a
 * retried request (lost response, network error) makes one generation; changing the form, or submitting again after
 * a success, starts a new run.
 */
export class SubmissionKeys {
  private current: { payload: string; key: string } | null = null;

  constructor(private readonly make: () => string = newIdempotencyKey) {}

  keyFor(payload: string): string {
    if (this.current?.payload !== payload) this.current = { payload, key: this.make() };
    return this.current.key;
  }

  /** The run was accepted: the next submission, even of the same settings, is a new run. */
  succeeded(payload: string): void {
    if (this.current?.payload === payload) this.current = null;
  }
}
