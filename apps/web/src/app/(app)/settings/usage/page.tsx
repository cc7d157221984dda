import type { Metadata } from "next";
import { adminsOnly } from "../../admins-only";
import { UsageView } from "./usage-view";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return adminsOnly("Usage", "Only owners and admins see the organisation's usage", () => (
    <UsageView />
  ));
}
