import type { Metadata } from "next";
import { adminsOnly } from "../admins-only";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members" };

export default function MembersPage() {
  return adminsOnly("Members", "Only admins manage members", (me) => (
    <MembersView myUserId={me.user.id} myRole={me.user.role} />
  ));
}
