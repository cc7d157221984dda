// The mailer port: the domain core says what to send; an adapter (smtp-mailer.ts) sends it.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Resolves once the message is accepted for delivery; rejects when it was not. */
  send(message: MailMessage): Promise<void>;
}

/** The host configured no mail transport: every send refuses with a message saying so. */
export class MailNotConfigured extends Error {
  constructor() {
    super("Email is not configured (set SMTP_URL)");
    this.name = "MailNotConfigured";
  }
}

export const NO_MAILER: Mailer = {
  send: () => Promise.reject(new MailNotConfigured()),
};
