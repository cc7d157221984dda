# syntax=docker/dockerfile:1
# apps/admin (super-admin dashboard, port 3001). Build context: the repository root.
#   docker build -f deploy/admin.Dockerfile -t tenantry-admin .
# Docker does not run on the development machine: tooling/deploy-check parses this file instead.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NEXT_TELEMETRY_DISABLED=1 CI=true
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
# Next fixes response headers at build time: the CSP's form-action must name the web app's
# origin (impersonation posts there), so the public WEB_URL is a build argument. Not a secret.
ARG WEB_URL
RUN WEB_URL=${WEB_URL} pnpm --filter @tenantry/admin build

# Same workspace layout with production dependencies only: Turbopack links the server-external
# packages (argon2, mongoose, mongodb) from .next/node_modules into /app/node_modules/.pnpm, so
# the runtime keeps that layout rather than a `pnpm deploy` copy. Those links live in
# .next/node_modules, so the clean-up below must not descend into .next.
FROM build AS prod
RUN find . -name .next -prune -o -name node_modules -type d -prune -exec rm -rf {} + \
 && pnpm install --prod --offline --frozen-lockfile --filter "@tenantry/admin..." \
 && rm -rf apps/admin/.next/cache

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3001
WORKDIR /app
COPY --from=prod --chown=node:node /app /app
WORKDIR /app/apps/admin
USER node
EXPOSE 3001
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3001/').then(r => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))"]
# Inside a container the app must listen on every interface; the proxy is the only way in.
# next-serve is `next start` that keys client IPs on the socket unless TRUST_PROXY=true.
CMD ["node", "node_modules/@tenantry/api/bin/next-serve.mjs", "--hostname", "0.0.0.0", "--port", "3001"]
