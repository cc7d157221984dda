// The example billing adapter: invoices-to-be as JSON lines in a folder (one file per month),
// for an operator to read or a later job to send on. A Stripe adapter replaces it behind the same
// port (docs/billing.md). Writes are appends of one whole line each.
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";

import type {
  BillingPeriod,
  BillingPort,
  BillingTenant,
  InvoiceDraftReceipt,
  UsageTotals,
} from "./billing-port";
import type { UsageDay } from "../usage-metering";

export interface FileInvoiceDrafts extends BillingPort {
  /** The month's drafts file: `<dir>/invoice-drafts-<YYYY-MM>.jsonl`. */
  fileFor(month: string): string;
}

export function fileInvoiceDrafts(dir: string): FileInvoiceDrafts {
  const folder = path.resolve(dir);
  const fileFor = (month: string) => path.join(folder, `invoice-drafts-${month}.jsonl`);
  const append = async (file: string, record: unknown) => {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await appendFile(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  };
  return {
    fileFor,
    async recordUsage(tenant: BillingTenant, usage: UsageDay) {
      // Files bill per month from the drafts; daily usage is kept next to them for the record.
      await append(path.join(folder, `usage-${usage.day.slice(0, 7)}.jsonl`), {
        tenantId: tenant.id,
        ...usage,
      });
    },
    async draftInvoice(
      tenant: BillingTenant,
      period: BillingPeriod,
      usage: UsageTotals,
    ): Promise<InvoiceDraftReceipt> {
      const file = fileFor(period.month);
      await append(file, {
        kind: "invoice-draft",
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        plan: tenant.plan,
        period,
        usage,
        draftedAt: new Date().toISOString(),
      });
      return { tenantId: tenant.id, month: period.month, reference: path.basename(file) };
    },
  };
}
