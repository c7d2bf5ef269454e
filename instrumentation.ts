// Validate configuration once at start-up so a misconfigured server stops with a clear message, then start the
// background job worker (Node.js runtime only; ATELIER_WORKER=off disables it).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfiguration, startBackgroundWorker } = await import("@/lib/startup");
    checkConfiguration();
    startBackgroundWorker();
  }
}
