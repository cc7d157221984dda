// Scenario 6's migration: an index for listing archived notes, and the flag back-filled on every
// existing note. Idempotent, as tenancy migrations must be.
import { BUILT_IN_MIGRATIONS } from "@tenantry/tenancy";
import type { TenantMigration } from "@tenantry/tenancy";

export const ARCHIVED_FLAG_MIGRATION: TenantMigration = {
  // After whatever tenancy ships built in (the list grows; versions must increase).
  version: (BUILT_IN_MIGRATIONS.at(-1)?.version ?? 0) + 1,
  name: "notes-archived-flag",
  async up({ conn }) {
    const notes = conn.collection("notes");
    await notes.createIndex({ archived: 1, _id: -1 }, { name: "archived_1__id_-1" });
    await notes.updateMany({ archived: { $exists: false } }, { $set: { archived: false } });
  },
};
