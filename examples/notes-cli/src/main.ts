// Example program for @tenantry/client: with a tenant API key, lists the tenant's notes and
// creates one. No person's password, no tokens to keep: the key names its tenant itself.
//   TENANTRY_URL=http://127.0.0.1:4000 TENANTRY_API_KEY=tnk_… pnpm --filter @tenantry/example-notes-cli start
import { TRPCClientError, createTenantryClient } from "@tenantry/client";

import { loadEnv } from "./env";

async function main() {
  const env = loadEnv();
  // The key travels as `Authorization: Bearer <key>` on the same tRPC endpoint as tokens.
  const client = createTenantryClient({ url: env.TENANTRY_URL, apiKey: env.TENANTRY_API_KEY });

  const before = await client.notes.list.query({ limit: 20 });
  console.log(`Notes (${before.items.length}${before.nextCursor ? "+" : ""}):`);
  for (const note of before.items) {
    console.log(
      `  - ${note.title}  [${note.tags.join(", ")}]  by ${note.author.name}, ${note.updatedAt.toISOString()}`,
    );
  }

  const created = await client.notes.create.mutate({
    title: env.NOTE_TITLE,
    body: "Created through @tenantry/client with an API key.",
    tags: ["example"],
  });
  console.log(
    `Created note ${created.id}: "${created.title}" as ${created.author.name} at ${created.createdAt.toISOString()}`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof TRPCClientError) {
    const data = (err.data ?? {}) as { code?: string; reason?: string };
    console.error(
      `API error ${data.code ?? ""}${data.reason ? ` (${data.reason})` : ""}: ${err.message}`,
    );
  } else {
    console.error(err instanceof Error ? err.message : err);
  }
  process.exitCode = 1;
});
