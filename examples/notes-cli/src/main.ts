// Example program for @tenantry/client: logs in, lists the tenant's notes, creates one.
//   TENANTRY_URL=http://127.0.0.1:4000 TENANTRY_EMAIL=… TENANTRY_PASSWORD=… pnpm --filter @tenantry/example-notes-cli start
import { TRPCClientError, createTenantryClient } from "@tenantry/client";

import { loadEnv } from "./env";

async function main() {
  const env = loadEnv();
  const client = createTenantryClient({ url: env.TENANTRY_URL });

  const login = await client.login({
    email: env.TENANTRY_EMAIL,
    password: env.TENANTRY_PASSWORD,
    ...(env.TENANTRY_TENANT ? { tenantSlug: env.TENANTRY_TENANT } : {}),
  });
  if (login.status === "chooseTenant") {
    console.log(
      `This email belongs to several tenants; set TENANTRY_TENANT to one of: ${login.tenants.map((t) => t.slug).join(", ")}`,
    );
    process.exitCode = 2;
    return;
  }
  console.log(
    `Logged in as ${login.user.email} (${login.user.role}) in tenant "${login.tenant.name}" [${login.tenant.slug}]`,
  );

  const before = await client.notes.list.query({ limit: 20 });
  console.log(`Notes (${before.items.length}${before.nextCursor ? "+" : ""}):`);
  for (const note of before.items) {
    console.log(
      `  - ${note.title}  [${note.tags.join(", ")}]  by ${note.author.name}, ${note.updatedAt.toISOString()}`,
    );
  }

  const created = await client.notes.create.mutate({
    title: env.NOTE_TITLE,
    body: "Created through @tenantry/client.",
    tags: ["example"],
  });
  console.log(
    `Created note ${created.id}: "${created.title}" at ${created.createdAt.toISOString()}`,
  );

  await client.logout();
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
