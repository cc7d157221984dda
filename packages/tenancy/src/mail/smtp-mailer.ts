// The mailer port over SMTP (nodemailer). `smtpUrl` is SMTP_URL: smtp://user:pass@host:587 or
// smtps://… for implicit TLS; nodemailer upgrades smtp:// with STARTTLS when the server offers it.
import nodemailer from "nodemailer";

import type { TenancyLogger } from "../tenancy-logger";
import type { Mailer } from "./mailer";

export function createSmtpMailer(opts: { smtpUrl: string; from: string }): Mailer & {
  close(): void;
} {
  const transport = nodemailer.createTransport(opts.smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from: opts.from, ...message });
    },
    close: () => transport.close(),
  };
}

/**
 * The host's mailer from its validated mail env (tenancy/env's mailEnv): SMTP when SMTP_URL is
 * set; otherwise none (password-reset mails then refuse) and a warning says so at start-up.
 */
export function mailerFromEnv(
  env: { SMTP_URL?: string | undefined; MAIL_FROM: string },
  logger: TenancyLogger,
): Mailer | undefined {
  if (env.SMTP_URL) return createSmtpMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM });
  logger.warn({}, "SMTP_URL is not set: password-reset and invitation emails cannot be sent");
  return undefined;
}
