# handoff-bridge: one image for the worker and the ingress (`npx handoff-bridge worker|ingress`).
# Node 24 is the current LTS line and what `engines` requires.
FROM node:24-bookworm-slim

ENV NODE_ENV=production \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    # tsx and npm write caches; /tmp stays writable when the root filesystem is read-only.
    npm_config_cache=/tmp/.npm

# Heap and malloc limits for a worker holding thousands of parked handoffs: worker/heap-tuning.ts
# (WORKER_PROCESS_ENV) explains them; test/deploy-dockerfile.test.ts keeps the two the same.
ENV NODE_OPTIONS="--max-semi-space-size=2" \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072

WORKDIR /app

# Dependencies first, for layer caching. --omit=dev: tsx is a runtime dependency (the sources run
# as TypeScript), so production needs no build step. --ignore-scripts: the postinstall provisions
# the local Temporal dev server binaries, which a container talking to a real cluster never uses;
# the native Temporal bridge, esbuild and swc ship prebuilt binaries in their packages.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY bin ./bin
COPY worker ./worker
COPY workflows ./workflows
COPY api ./api
COPY activities ./activities
COPY mappings ./mappings
# The local HubSpot/Salesforce sandboxes: used when no CRM credentials are set (demo, sandbox mode).
COPY sandbox ./sandbox
COPY tsconfig.json ./
COPY scripts/build-bundle.ts ./scripts/build-bundle.ts
RUN npm run build:bundle

# The image's built-in unprivileged user.
USER node

EXPOSE 8787 9464

# Both modes serve /healthz on INGRESS_PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.INGRESS_PORT || 8787) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# `npx` runs the project's own bin (bin/handoff-bridge.mjs) and forwards SIGTERM to it.
CMD ["npx", "handoff-bridge", "worker"]
