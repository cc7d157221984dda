// One signed POST of a delivery (Standard Webhooks: webhook-id, webhook-timestamp and
// webhook-signature headers, signed with the `standardwebhooks` package). The connection goes
// only to addresses the URL policy accepted at this moment (webhook-url-policy.ts).
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

import { Webhook } from "standardwebhooks";

import type { DeliveryAttempt } from "./webhook-models";
import type { WebhookUrlPolicy } from "./webhook-url-policy";
import { checkedAddresses, guardedLookup, parseWebhookUrl } from "./webhook-url-policy";

export interface SendInput {
  url: string;
  secret: string;
  msgId: string;
  body: string;
  timeoutMs: number;
  policy: WebhookUrlPolicy;
}

/** Never throws: every outcome is an attempt (a 2xx status code is a success). */
export async function sendWebhook(input: SendInput): Promise<DeliveryAttempt> {
  const at = new Date();
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): DeliveryAttempt => ({
    at,
    statusCode,
    durationMs: Math.round(performance.now() - started),
    error,
  });
  try {
    const url = parseWebhookUrl(input.url, input.policy);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // IP literals skip the lookup below, so they are checked here (names are checked there too).
    await checkedAddresses(host, input.policy);
    const timestamp = new Date();
    const signature = new Webhook(input.secret).sign(input.msgId, timestamp, input.body);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const statusCode = await new Promise<number>((resolve, reject) => {
      const req = send(
        url,
        {
          method: "POST",
          lookup: guardedLookup(input.policy),
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(input.body),
            "user-agent": "Tenantry-Webhooks/1",
            "webhook-id": input.msgId,
            "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
            "webhook-signature": signature,
          },
          signal: AbortSignal.timeout(input.timeoutMs),
        },
        (res) => {
          // The answer's body is not kept; read (and drop) it so the socket is released.
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(input.body);
    });
    return done(statusCode, statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`);
  } catch (err) {
    const e = err as Error & { code?: string };
    const message =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? `timed out after ${input.timeoutMs} ms`
        : e.message || String(err);
    return done(null, message.slice(0, 500));
  }
}
