// `tenantry billing draft --month YYYY-MM`: the month's invoice drafts from control usageDaily,
// written as JSON lines by tenancy's file billing adapter (the place a Stripe adapter would take;
// docs/billing.md). Drafts only: nothing is sent anywhere.
import { billingPeriod, fileInvoiceDrafts } from "@tenantry/tenancy";

import type { CommandSpec } from "../command";
import { readCliConfig } from "../env";
import { usageError } from "../exit-codes";
import { formatTable } from "../output";

const draft: CommandSpec = {
  group: "billing",
  name: "draft",
  summary: "Write the month's invoice drafts (JSON lines) from the metered usage",
  usage: "--month <YYYY-MM> [--out <dir>]",
  options: ["--month <YYYY-MM>", "--out <dir>"],
  positionals: [],
  required: ["month"],
  details: "The folder defaults to BILLING_DRAFT_DIR (default .data/invoice-drafts).",
  async run(ctx) {
    const month = typeof ctx.values.month === "string" ? ctx.values.month : "";
    // Checked before connecting: a bad month is a usage error, not a database one.
    try {
      billingPeriod(month);
    } catch (err) {
      throw usageError((err as Error).message);
    }
    const out =
      typeof ctx.values.out === "string" ? ctx.values.out : readCliConfig().billing.draftDir;
    const port = fileInvoiceDrafts(out);
    const tenancy = await ctx.tenancy();
    const report = await tenancy.billing.draftMonth(month, port);
    const file = port.fileFor(month);
    return {
      json: { ...report, file },
      human:
        `${report.drafts.length} invoice draft(s) for ${month} in ${file}\n` +
        formatTable(
          report.drafts.map((d) => ({ tenantId: d.tenantId, reference: d.reference })),
          ["tenantId", "reference"],
        ) +
        (report.skipped.length ? `Skipped (no tenant record): ${report.skipped.join(", ")}\n` : ""),
    };
  },
};

export const billingCommands: CommandSpec[] = [draft];
