import { Loading } from "@tenantry/ui";

export default function PageLoading() {
  return <Loading />;
}
