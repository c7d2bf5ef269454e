// Validate configuration once at start-up so a misconfigured server stops with a clear message, warn loudly if the
// database role could rewrite the audit log (without delaying or blocking the start), then start the background
// job worker (Node.js runtime only; ATELIER_WORKER=off disables it), which drains with the HTTP server on SIGTERM.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfiguration, checkDatabaseRole, installGracefulShutdown, startBackgroundWorker } = await import("@/lib/startup");
    checkConfiguration();
    installGracefulShutdown();
    void checkDatabaseRole();
    startBackgroundWorker();
  }
}
