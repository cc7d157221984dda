/**
 * The CSP form-action sources after 'self': the impersonation hand-off is a form POST to the web
 * app's origin. Without WEB_URL (a local build: dev, e2e on ephemeral ports) loopback origins.
 * Used by next.config.ts (at build time) and proxy.ts (per page request).
 */
export function formAction(env: Record<string, string | undefined>): string {
  return env.WEB_URL ? new URL(env.WEB_URL).origin : "http://127.0.0.1:* http://localhost:*";
}
