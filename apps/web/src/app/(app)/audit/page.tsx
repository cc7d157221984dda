import type { Metadata } from "next";
import { adminsOnly } from "../admins-only";
import { AuditView } from "./audit-view";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return adminsOnly("Audit log", "Only admins read the audit log", () => <AuditView />);
}
