import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "~/server/caller";
import { ClustersView } from "./clusters-view";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage() {
  // The table arrives with the page instead of after a request of its own. It only shows data
  // (the add form is there either way), so nothing on it can be clicked before hydration.
  await prefetch(trpc.clusters.list.queryOptions());
  return (
    <HydrateClient>
      <ClustersView />
    </HydrateClient>
  );
}
