// The month's invoice drafts from control `usageDaily`: one draft per tenant with usage in the
// month, through whichever BillingPort the caller gives (the file adapter, later Stripe's).
import { InvalidInput } from "../errors";
import type { PlanName } from "../policies/plans";
import type { UsageDay, UsageMeter } from "../usage-metering";
import type {
  BillingPeriod,
  BillingPort,
  BillingTenant,
  InvoiceDraftReceipt,
  UsageTotals,
} from "./billing-port";

export interface DraftMonthReport {
  period: BillingPeriod;
  drafts: InvoiceDraftReceipt[];
  /** Tenants with usage but no record any more (purged): no draft, listed for the operator. */
  skipped: string[];
}

/** "2026-12" -> its first and last UTC day; INVALID_INPUT for anything else. */
export function billingPeriod(month: string): BillingPeriod {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new InvalidInput(`month must be YYYY-MM, e.g. 2026-12 (got "${month}")`, ["month"]);
  const [year, mon] = [Number(m[1]), Number(m[2])];
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { month, firstDay: `${month}-01`, lastDay: `${month}-${String(last).padStart(2, "0")}` };
}

/** Calls summed; seats, storage and documents at their highest day (what a plan bills on). */
function totalsOf(days: readonly UsageDay[]): UsageTotals {
  const peakDocuments: Record<string, number> = {};
  for (const d of days)
    for (const [name, n] of Object.entries(d.documents))
      peakDocuments[name] = Math.max(peakDocuments[name] ?? 0, n);
  return {
    apiCalls: days.reduce((sum, d) => sum + d.apiCalls, 0),
    peakSeats: Math.max(0, ...days.map((d) => d.seats ?? 0)),
    peakStorageBytes: Math.max(0, ...days.map((d) => d.storageBytes ?? 0)),
    peakDocuments,
    daysMetered: days.length,
  };
}

export async function draftMonthInvoices(
  meter: UsageMeter,
  tenantOf: (id: string) => Promise<{ id: string; slug: string; plan: PlanName } | null>,
  port: BillingPort,
  month: string,
): Promise<DraftMonthReport> {
  const period = billingPeriod(month);
  const usage = await meter.range(period.firstDay, period.lastDay);
  const drafts: InvoiceDraftReceipt[] = [];
  const skipped: string[] = [];
  for (const [tenantId, days] of usage) {
    const record = await tenantOf(tenantId);
    if (!record) {
      skipped.push(tenantId);
      continue;
    }
    const tenant: BillingTenant = { id: record.id, slug: record.slug, plan: record.plan };
    // Metered providers take the days as they were; the draft then bills the month's totals.
    for (const day of days) await port.recordUsage(tenant, day);
    drafts.push(await port.draftInvoice(tenant, period, totalsOf(days)));
  }
  return { period, drafts, skipped };
}
