import type { Metadata } from "next";
import { adminsOnly } from "../../admins-only";
import { ApiKeysView } from "./api-keys-view";

export const metadata: Metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return adminsOnly("API keys", "Only owners and admins manage API keys", () => <ApiKeysView />);
}
