// Daily usage (control `usageDaily`, counts only) of one tenant, as rows for the charts or as CSV
// for a download. Tenancy owns the metering and the CSV; this file only shapes the answers.
import type { Tenancy, TenantRecord } from "../../tenancy-port";

export async function usageHistory(tenancy: Tenancy, tenant: TenantRecord, days: number) {
  return { tenantId: tenant.id, days: await tenancy.usage.daily(tenant.id, days) };
}

/** `{ fileName, csv }`: the browser saves the text under that name. */
export async function usageCsv(tenancy: Tenancy, tenant: TenantRecord, days: number) {
  const rows = await tenancy.usage.daily(tenant.id, days);
  const first = rows[0]?.day ?? "";
  const last = rows.at(-1)?.day ?? "";
  return { fileName: `usage-${tenant.slug}-${first}-to-${last}.csv`, csv: tenancy.usage.csv(rows) };
}
