# syntax=docker/dockerfile:1
# TicketMoa: one image for every process (serve, sink, schedule and the one-shot commands).
# Build: docker compose build (or docker build -t ticketmoa .). See README "Deploy".

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: dev dependencies, TypeScript → dist/, then only production dependencies kept ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source where no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# No install scripts but better-sqlite3's own: "prepare" would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
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
# Ready = started and the database answers (GET /readyz); the sink and schedule services of
# compose.yaml check their metrics port instead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/ticketmoa.js"]
CMD ["serve"]
