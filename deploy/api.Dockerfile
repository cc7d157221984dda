# syntax=docker/dockerfile:1
# Standalone API server (packages/api: /trpc, /admin/trpc, /healthz, /readyz, /metrics; port 4000).
# Build context: the repository root.
#   docker build -f deploy/api.Dockerfile -t tenantry-api .
# Docker does not run on the development machine: tooling/deploy-check parses this file instead.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV CI=true
# The pnpm pin of docs/toolchain.md (newer 12.x refuse a frozen install without signatures).
RUN npm i -g --allow-scripts=pnpm pnpm@12.4.2
WORKDIR /app

# The store depends on the lockfile alone, so this layer survives source edits.
FROM base AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch

FROM deps AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile
# Libraries ship TypeScript source; a type error must still stop the image. The server itself is
# compiled (tsdown: one ESM bundle with the workspace packages inlined) so the runtime needs no tsx.
RUN pnpm --filter "@tenantry/api..." typecheck \
 && pnpm --filter @tenantry/api build

# Production dependencies only, in the workspace layout that @tenantry/* links expect (the bundle
# imports its npm packages from packages/api/node_modules). The CLI comes along so operators can
# run `node ../cli/bin/tenantry.js ...` inside an API container.
FROM build AS prod
RUN find . -name .next -prune -o -name node_modules -type d -prune -exec rm -rf {} + \
 && pnpm install --prod --offline --frozen-lockfile --filter "@tenantry/api..." --filter "@tenantry/cli..." \
 && rm -rf apps

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=prod --chown=node:node /app /app
WORKDIR /app/packages/api
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# register-tracing starts OpenTelemetry first when OTEL_EXPORTER_OTLP_ENDPOINT is set (else a no-op).
CMD ["node", "--import", "./dist/register-tracing.mjs", "dist/main.mjs"]
