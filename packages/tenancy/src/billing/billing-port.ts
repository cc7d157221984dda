// Where a payment provider plugs in. The domain hands a port a tenant's metered usage; an adapter
// turns it into the provider's records (Stripe: meter events and draft invoices). Nothing here
// knows a provider; file-invoice-drafts.ts is the example adapter (see docs/billing.md).
import type { PlanName } from "../policies/plans";
import type { UsageDay } from "../usage-metering";

/** Who is billed: identifiers and plan only (a provider maps the id to its customer). */
export interface BillingTenant {
  id: string;
  slug: string;
  plan: PlanName;
}

/** A calendar month, UTC: "YYYY-MM" with its first and last day. */
export interface BillingPeriod {
  month: string;
  firstDay: string;
  lastDay: string;
}

/** A month's metered usage: calls summed, the snapshot figures at their peak. */
export interface UsageTotals {
  apiCalls: number;
  peakSeats: number;
  peakStorageBytes: number;
  peakDocuments: Record<string, number>;
  /** Days of the month with a usage record. */
  daysMetered: number;
}

/** What an adapter made of a draft: its own reference (a Stripe invoice id, a file line). */
export interface InvoiceDraftReceipt {
  tenantId: string;
  month: string;
  reference: string;
}

export interface BillingPort {
  /** One day's usage of a tenant, for providers that bill metered usage as it happens. */
  recordUsage(tenant: BillingTenant, usage: UsageDay): Promise<void>;
  /** The month's invoice-to-be of a tenant (never sent: a draft a person or a job finalises). */
  draftInvoice(
    tenant: BillingTenant,
    period: BillingPeriod,
    usage: UsageTotals,
  ): Promise<InvoiceDraftReceipt>;
}
