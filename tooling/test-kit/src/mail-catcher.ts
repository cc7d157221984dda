// A real SMTP mail catcher (maildev) for tests: started as a child process on free loopback
// ports, read through its REST API. Tests send mail over real SMTP and read what arrived.
import { createRequire } from "node:module";

import { freePort } from "./ports";
import { startProcessGroup } from "./process-group";
import { waitForHttp } from "./http";

export interface CaughtMail {
  id: string;
  subject: string;
  text: string;
  html: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  date: string;
}

/** What a test reads from a running catcher (e.g. the e2e stack's, by its web URL). */
export interface MailInbox {
  /** Every message caught so far, oldest first. */
  messages(): Promise<CaughtMail[]>;
  /** The first message to `to` (matching `subject` when given); throws after `timeoutMs`. */
  waitForMessage(to: string, opts?: { subject?: RegExp; timeoutMs?: number }): Promise<CaughtMail>;
}

export interface MailCatcher extends MailInbox {
  /** smtp://127.0.0.1:<port>: what SMTP_URL should be. */
  smtpUrl: string;
  /** The web inbox (and REST API: GET /email). */
  webUrl: string;
  stop(): Promise<void>;
}

/** Reads the catcher whose web inbox is at `webUrl` through its REST API. */
export function mailInbox(webUrl: string): MailInbox {
  const messages = async () => {
    const res = await fetch(`${webUrl}/email`);
    if (!res.ok) throw new Error(`maildev answered ${res.status}`);
    return (await res.json()) as CaughtMail[];
  };
  return {
    messages,
    async waitForMessage(to, { subject, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      const wanted = to.toLowerCase();
      for (;;) {
        const found = (await messages()).find(
          (m) =>
            m.to.some((r) => r.address.toLowerCase() === wanted) &&
            (!subject || subject.test(m.subject)),
        );
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

const maildevBin = () => createRequire(import.meta.url).resolve("maildev/bin/maildev");

/** Starts maildev on 127.0.0.1 (free ports unless given) and waits until its web API answers. */
export async function startMailCatcher(
  opts: { smtpPort?: number; webPort?: number; logFile?: string } = {},
): Promise<MailCatcher> {
  const smtpPort = opts.smtpPort ?? (await freePort());
  const webPort = opts.webPort ?? (await freePort());
  const group = startProcessGroup(
    process.execPath,
    [maildevBin(), "--ip", "127.0.0.1", "--smtp", String(smtpPort), "--web", String(webPort)],
    // Started by absolute paths, so it needs nothing else from our environment.
    { env: { NODE_ENV: "production" }, ...(opts.logFile ? { logFile: opts.logFile } : {}) },
  );
  let exited = false;
  void group.exited.then(() => (exited = true));
  const webUrl = `http://127.0.0.1:${webPort}`;
  try {
    await waitForHttp(`${webUrl}/healthz`, {
      timeoutMs: 30_000,
      failed: () => (exited ? "maildev exited before it answered" : null),
    });
  } catch (err) {
    await group.stop();
    throw err;
  }
  return {
    ...mailInbox(webUrl),
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl,
    stop: () => group.stop(),
  };
}
