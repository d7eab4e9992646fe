# syntax=docker/dockerfile:1
# Tessera's production image (docs/deploy.md, ADR 0029). Three stages: `build` compiles the service and
# the portal with every dev dependency; `deps` installs the production dependencies only; `runtime`
# copies the two results onto a slim Node.js LTS with no compiler, no package manager and a non-root
# user. test/deploy/image-entry.spec.ts parses this file and runs its CMD the way the container would.
# Pin the base by digest in your registry mirror (node:22-bookworm-slim@sha256:…) for reproducible builds.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# onnxruntime-node ships its CPU binaries in the npm package; skip its optional GPU download.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
COPY web/package.json web/
# Production dependencies only; the portal's workspace link is dropped (its built files are copied below),
# and so are ONNX Runtime's macOS and Windows binaries (220 MB of the package's 290 MB).
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/@tessera node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32 \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# No package manager in the final image: nothing here installs or builds anything at run time.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
  && mkdir -p /var/lib/tessera && chown 1000:1000 /var/lib/tessera
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    TESSERA_DATA_DIR=/var/lib/tessera
# Owned by root and not writable by the service's user: the application folder is read-only to it.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/web/dist ./web/dist
COPY --from=build /src/contracts ./contracts
COPY package.json ./
# The `node` user of the official image, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Secrets (TESSERA_ADMIN_KEY, TESSERA_PII_HMAC_SECRET, …) come from the environment; without them the
# service would generate them into TESSERA_DATA_DIR, which differs per replica.
VOLUME ["/var/lib/tessera"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, drains requests in flight and exits 0
# (TESSERA_SHUTDOWN_TIMEOUT_MS, below the orchestrator's grace period).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
