# TicketMoa: one image for every process (serve, sink, schedule and the one-shot commands).
# Build: docker compose build (or docker build -t ticketmoa .). See README "Deploy".
# No `# syntax=` line and no BuildKit-only instruction: the builder's own Dockerfile frontend
# is used (nothing is pulled), and the legacy builder builds it too.

# Node.js 24: LTS with security fixes until 2028-04-30 (development also runs on 20 and 22).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: dev dependencies, TypeScript → dist/, then only production dependencies kept ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The toolchain better-sqlite3 compiles with (below).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# deploy/build-ca.pem, when present: the CA bundle of a TLS-inspecting proxy in front of the npm
# registry (scripts/engine.sh copies the host's). It stays in this stage; the image that runs
# copies nothing of it.
COPY package.json package-lock.json deploy/build-ca.pe[m] ./
# No install scripts but better-sqlite3's own: "prepare" would build before the sources are here.
# better-sqlite3 compiles from source, against the Node.js headers of the base image: a build
# machine need not reach GitHub (prebuilt binaries) nor nodejs.org (headers).
RUN if [ -f build-ca.pem ]; then export NODE_EXTRA_CA_CERTS="$PWD/build-ca.pem"; fi \
 && npm ci --ignore-scripts --no-audit --no-fund \
 && npm_config_build_from_source=true npm_config_nodedir=/usr/local npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts/build-admin.mjs ./scripts/
COPY web ./web
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- run: production dependencies only, non-root, tini as PID 1 ----
FROM ${NODE_IMAGE} AS run
# tini forwards SIGTERM to Node (which flushes the outbox and the sink) and reaps job processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data \
 && chown node:node /data
ENV NODE_ENV=production \
    TICKETMOA_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000
WORKDIR /app
# The code belongs to root and is read-only for the service's user.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
USER node
# The local outbox (events not yet shipped), the SQLite database and lake when no others are set.
VOLUME ["/data"]
EXPOSE 8000 9464
# serve: ready = started and the database answers (GET /readyz); sink and schedule: GET /healthz
# on their METRICS_PORT (bin/healthcheck.js tells which command the container runs).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "bin/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/ticketmoa.js"]
CMD ["serve"]
