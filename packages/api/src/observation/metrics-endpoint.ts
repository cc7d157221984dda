// GET /metrics on the standalone server: only for callers that present the metrics token as a
// Bearer credential. Without a configured token the route does not exist (404), so a deployment
// never exposes metrics by accident; the production proxy blocks the path as well (deploy/proxy).
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import type { ApiServices } from "../services";

const digest = (v: string) => createHash("sha256").update(v).digest();

/** Compares digests, so neither the length nor a prefix of the token leaks through timing. */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = header ? /^Bearer ([\x21-\x7e]+)$/i.exec(header) : null;
  return !!match?.[1] && timingSafeEqual(digest(match[1]), expected);
}

function refuse(res: ServerResponse, status: number, error: string, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ error }));
}

export function createMetricsEndpoint(services: ApiServices) {
  const token = services.config.metricsToken;
  const expected = token ? digest(token) : null;
  return async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!expected) return refuse(res, 404, "Not found");
    if (!tokenMatches(req.headers.authorization, expected)) {
      return refuse(res, 401, "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>", {
        "www-authenticate": 'Bearer realm="metrics"',
      });
    }
    const body = await services.metrics.render();
    res.writeHead(200, { "content-type": services.metrics.contentType });
    res.end(body);
  };
}
