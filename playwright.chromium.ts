/**
 * How every Playwright run here starts Chromium (playwright.config.ts, playwright.cluster.config.ts): Debian's own
 * binary (Playwright never downloads a browser), without the sandbox, GPU or background traffic of a desktop browser.
 */
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};
