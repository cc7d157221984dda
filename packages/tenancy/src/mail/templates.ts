// Every message the platform sends, each as one small function returning its plain-text and HTML
// bodies. Values are escaped in the HTML; links are the only markup they carry.
import type { MailMessage } from "./mailer";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

function page(paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<p>${p}</p>`).join("\n");
  return `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">\n${body}\n</body></html>`;
}

const link = (url: string, label: string) =>
  `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;

export interface ResetLink {
  /** The organisation's name; absent for a super admin's account. */
  organisation: string | null;
  url: string;
}

/** A reset link per organisation the email belongs to (a picker when there are several). */
export function passwordResetMail(input: {
  to: string;
  links: ResetLink[];
  expiresInMinutes: number;
  /** Who asked, when it was not the account's owner (an organisation admin, a super admin). */
  requestedBy?: string | null;
}): MailMessage {
  const { links, expiresInMinutes } = input;
  const names = links.map((l) => l.organisation).filter((n): n is string => Boolean(n));
  const subject =
    links.length === 1 && names[0]
      ? `Reset your ${names[0]} password`
      : links.length === 1
        ? "Reset your Tenantry admin password"
        : "Reset your password";
  const why = input.requestedBy
    ? `${input.requestedBy} sent you a link to set a new password.`
    : "Someone (hopefully you) asked to reset your password.";
  const intro =
    links.length > 1
      ? `Your email belongs to ${links.length} organisations. Pick the one whose password you want to reset:`
      : "Set a new password here:";
  const expiry = `Each link works once and expires in ${expiresInMinutes} minutes. If you did not ask for this, ignore this email: your password stays as it is.`;
  const textLinks = links.map((l) => (l.organisation ? `${l.organisation}: ${l.url}` : l.url));
  const text = [why, "", intro, "", ...textLinks, "", expiry, ""].join("\n");
  const htmlLinks = links.map((l) =>
    l.organisation
      ? `<strong>${escapeHtml(l.organisation)}</strong>: ${link(l.url, "Reset password")}`
      : link(l.url, "Reset password"),
  );
  const html = page([
    escapeHtml(why),
    escapeHtml(intro),
    htmlLinks.join("<br>"),
    escapeHtml(expiry),
  ]);
  return { to: input.to, subject, text, html };
}

/** An invitation to an organisation, naming who sent it; the link sets a password and signs in. */
export function inviteMail(input: {
  to: string;
  organisation: string;
  /** "Olive Owner (owner@acme.test)", or an API key's name. */
  inviter: string;
  url: string;
  expiresAt: Date;
}): MailMessage {
  const until = input.expiresAt.toUTCString();
  const why = `${input.inviter} invited you to join ${input.organisation} on Tenantry.`;
  const how = "Choose a password to accept and sign in:";
  const expiry = `The link works once, until ${until}. If you were not expecting this, ignore this email.`;
  const text = [why, "", how, "", input.url, "", expiry, ""].join("\n");
  const html = page([
    escapeHtml(why),
    escapeHtml(how),
    link(input.url, `Join ${input.organisation}`),
    escapeHtml(expiry),
  ]);
  return { to: input.to, subject: `You're invited to join ${input.organisation}`, text, html };
}
