# syntax=docker/dockerfile:1.7
# Atelier's production image: the same build (`npm run build`) and the same server (`node scripts/server.mjs`, what
# `npm start` and `npm run cluster` run) as everywhere else. docs/deploy.md explains how to run it.
#
#   docker build -t atelier \
#     --build-arg NEXT_DEPLOYMENT_ID=$(git rev-parse --short HEAD) \
#     --secret id=next_actions_key,env=NEXT_SERVER_ACTIONS_ENCRYPTION_KEY .
#
# Both are fixed at build time and must be the same for every instance serving one version: the deployment id tells
# browsers which version they talk to, the server actions key signs and encrypts what server actions carry. Every
# container of one image shares them by construction; two images built separately share them only through these two.
# The key ends up inside the build output (Next embeds it), so treat the image as private, like a secret.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: node_modules, with the Prisma client generated (postinstall) --------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 SCARF_ANALYTICS=false
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
# `npm ci` rejects this lockfile (it omits other platforms' optional binaries the registry lacks); `npm install` on it
# installs exactly what it lists and leaves it unchanged.
RUN npm install --no-audit --no-fund

# ---- build: next build --------------------------------------------------------------------------------------------
FROM deps AS build
COPY . .
ARG NEXT_DEPLOYMENT_ID=""
ENV NEXT_DEPLOYMENT_ID=${NEXT_DEPLOYMENT_ID}
RUN --mount=type=secret,id=next_actions_key \
    if [ -s /run/secrets/next_actions_key ]; then export NEXT_SERVER_ACTIONS_ENCRYPTION_KEY="$(cat /run/secrets/next_actions_key)"; fi; \
    npm run build

# ---- runtime: non-root, the build and what the server and the admin scripts need ----------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 \
    PORT=3000 HOSTNAME=0.0.0.0 MEDIA_DIR=/var/lib/atelier/media
# node_modules keeps the dev dependencies: `npm run db:migrate` (the same image runs migrations before new instances
# start) needs Prisma's WebAssembly schema engine, which is one of them.
COPY --from=build /app/package.json /app/package-lock.json /app/next.config.mjs /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/public ./public
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts ./scripts
# Plain .mjs modules the server front and the admin scripts import (scripts/server.mjs, rotate-master-key.mjs); the
# app itself is compiled into .next.
COPY --from=build /app/lib ./lib
COPY --from=build --chown=node:node /app/.next ./.next
# The official image's unprivileged `node` user (uid 1000) owns only what the server writes: media (a volume unless
# media is in S3), Next's runtime cache, and .data for the embedded PostgreSQL of the single-machine set-up.
RUN mkdir -p /var/lib/atelier/media /app/.data && chown -R node:node /var/lib/atelier /app/.data
USER node
VOLUME ["/var/lib/atelier/media"]
EXPOSE 3000
# Liveness only (the process answers); readiness (/api/health/ready) is for the proxy, which stops sending to an
# instance that is not ready without restarting it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "scripts/server.mjs"]
