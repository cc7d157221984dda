import { describe, expect, it } from "vitest";
import { z } from "zod";

import { mailEnv } from "../env-fragments";
import { inviteMail, passwordResetMail } from "./templates";

describe("password-reset mail", () => {
  it("names the organisation, escapes it in the HTML, and lists one link per organisation", () => {
    const one = passwordResetMail({
      to: "a@x.test",
      links: [{ organisation: "Acme <b>&</b>", url: "https://app.test/reset-password#token=t1" }],
      expiresInMinutes: 30,
    });
    expect(one.subject).toBe("Reset your Acme <b>&</b> password");
    expect(one.text).toContain("Acme <b>&</b>: https://app.test/reset-password#token=t1");
    expect(one.html).toContain("Acme &lt;b&gt;&amp;&lt;/b&gt;");
    expect(one.html).not.toContain("<b>&</b>");

    const two = passwordResetMail({
      to: "a@x.test",
      links: [
        { organisation: "Acme", url: "https://app.test/r#token=a" },
        { organisation: "Globex", url: "https://app.test/r#token=g" },
      ],
      expiresInMinutes: 30,
      requestedBy: "owner@acme.test",
    });
    expect(two.subject).toBe("Reset your password");
    expect(two.text).toMatch(/belongs to 2 organisations/);
    expect(two.text).toContain("owner@acme.test sent you a link");
    expect(two.html.match(/href=/g)).toHaveLength(2);
  });
});

describe("invite mail", () => {
  it("names the organisation and the inviter, escapes both in the HTML, and says until when the link works", () => {
    const mail = inviteMail({
      to: "new@x.test",
      organisation: "Acme <b>",
      inviter: "Olive <o@acme.test>",
      url: "https://app.test/invite#token=t&x",
      expiresAt: new Date("2026-12-09T10:00:00Z"),
    });
    expect(mail.subject).toBe("You're invited to join Acme <b>");
    expect(mail.text).toContain("Olive <o@acme.test> invited you to join Acme <b> on Tenantry.");
    expect(mail.text).toContain("https://app.test/invite#token=t&x");
    expect(mail.text).toContain("until Wed, 09 Dec 2026 10:00:00 GMT");
    expect(mail.html).toContain('href="https://app.test/invite#token=t&amp;x"');
    expect(mail.html).toContain("Olive &lt;o@acme.test&gt;");
    expect(mail.html).not.toContain("<b>");
  });
});

describe("mail env", () => {
  const schema = z.object(mailEnv);
  it("takes smtp(s) URLs, treats empty as unset, and says what a bad value should look like", () => {
    expect(schema.parse({ SMTP_URL: "smtp://u:p@mail.test:587" }).SMTP_URL).toBe(
      "smtp://u:p@mail.test:587",
    );
    expect(schema.parse({ SMTP_URL: "", MAIL_FROM: "" })).toEqual({
      SMTP_URL: undefined,
      MAIL_FROM: "Tenantry <no-reply@tenantry.local>",
    });
    const bad = schema.safeParse({ SMTP_URL: "mail.test:25", MAIL_FROM: "nobody" });
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      expect.stringContaining("must be an smtp:// or smtps:// URL"),
      'must be an address, or "Name <address>"',
    ]);
  });
});
