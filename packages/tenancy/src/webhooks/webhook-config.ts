// Webhook delivery settings, validated once by createTenancy (TenancyConfig.webhooks).
import { z } from "zod";

export const webhookConfigSchema = z.object({
  /**
   * false (the default, production): endpoints must be https:// and resolve only to public
   * addresses. true relaxes both, for development and tests (WEBHOOKS_ALLOW_PRIVATE_URLS).
   */
  allowPrivateUrls: z.boolean().default(false),
  /** Tries before a delivery is dead-lettered (default 8). */
  maxAttempts: z.number().int().min(1).max(50).default(8),
  /** The first retry waits this long; each next one twice as long (default 10 s). */
  retryBaseMs: z.number().int().min(10).max(3_600_000).default(10_000),
  /** No wait between tries is longer than this (default 1 h). */
  retryMaxMs: z.number().int().min(10).max(86_400_000).default(3_600_000),
  /** One POST's time limit (default 10 s). */
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** How often the worker looks for events and due deliveries (default 1 s). */
  pollMs: z.number().int().min(10).max(60_000).default(1000),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** The retry wait after `attempts` failed tries: base · 2^(attempts-1), capped. */
export function retryDelayMs(cfg: WebhookConfig, attempts: number): number {
  return Math.min(cfg.retryMaxMs, cfg.retryBaseMs * 2 ** Math.max(0, attempts - 1));
}
