// Demo data for `npm start`: on first run a super admin and two demo tenants with users and
// notes (alice is in both, so her login shows the tenant picker). Safe to run on every start:
// each step checks before it writes. Prints the demo logins on stdout (start.mjs shows them).
import { APP_MODULES } from "@tenantry/api";
import type { AppTenancy } from "@tenantry/api";
import { createTenancy } from "@tenantry/tenancy";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import { z } from "zod";

// The domain's password policy, so a weak password fails here with its reason, before any write.
const strongPassword = z.string().superRefine((pw, ctx) => {
  const weakness = passwordWeakness(pw);
  if (weakness) ctx.addIssue({ code: "custom", message: weakness });
});

const env = z
  .object({
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// URI"),
    ENCRYPTION_KEY: z.string().min(1, "is required"),
    ADMIN_EMAIL: z.email(),
    ADMIN_PASSWORD: strongPassword,
    DEMO_PASSWORD: strongPassword,
  })
  .safeParse(process.env);
if (!env.success) {
  console.error(
    `seed-demo: invalid environment\n${env.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}`,
  );
  process.exit(1);
}
const { MONGODB_URI, ENCRYPTION_KEY, ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_PASSWORD } = env.data;

interface DemoUser {
  email: string;
  name: string;
  role: "owner" | "admin" | "member";
}
interface DemoTenant {
  slug: string;
  name: string;
  owner: DemoUser;
  others: DemoUser[];
  notes: { title: string; body: string; tags: string[] }[];
}

const DEMO: DemoTenant[] = [
  {
    slug: "acme",
    name: "Acme Corp",
    owner: { email: "alice@acme.demo", name: "Alice Anders", role: "owner" },
    others: [{ email: "bob@acme.demo", name: "Bob Berg", role: "member" }],
    notes: [
      {
        title: "Welcome to Acme",
        body: "This workspace belongs to Acme Corp only. Its data lives in its own database.",
        tags: ["welcome"],
      },
      {
        title: "Q3 roadmap",
        body: "1. Launch the self-service portal\n2. Hire two engineers\n3. Cut onboarding time in half",
        tags: ["planning", "q3"],
      },
      {
        title: "Office lunch rota",
        body: "Mon: Bob · Tue: Alice · Wed: order in",
        tags: ["office"],
      },
    ],
  },
  {
    slug: "globex",
    name: "Globex Inc",
    owner: { email: "carol@globex.demo", name: "Carol Chen", role: "owner" },
    // Alice belongs to both tenants.
    others: [{ email: "alice@acme.demo", name: "Alice Anders", role: "admin" }],
    notes: [
      {
        title: "Globex launch checklist",
        body: "Press kit, pricing page, status page.",
        tags: ["launch"],
      },
      { title: "Vendor contacts", body: "Hosting: ops@example.net", tags: ["ops"] },
    ],
  },
];

// Logs go to stderr: stdout carries only the logins.
const logger = {
  info: () => undefined,
  warn: (o: object, m?: string) => console.error(m ?? "", o),
  error: (o: object, m?: string) => console.error(m ?? "", o),
};

async function ensureAdmin(tenancy: AppTenancy): Promise<void> {
  if (await tenancy.admins.any()) return;
  await tenancy.admins.createFirst({
    email: ADMIN_EMAIL,
    name: "Super Admin",
    password: ADMIN_PASSWORD,
  });
}

async function ensureTenant(tenancy: AppTenancy, demo: DemoTenant): Promise<"created" | "exists"> {
  const existed = await tenancy.registry.getBySlug(demo.slug).then(
    () => true,
    () => false,
  );
  const record = await tenancy.lifecycle.provision({
    slug: demo.slug,
    name: demo.name,
    owner: { email: demo.owner.email, name: demo.owner.name, password: DEMO_PASSWORD },
    plan: "pro",
  });
  await tenancy.withTenant(record.id, async (scope) => {
    const { models } = scope;
    const owner = await models.User.findOne({ email: demo.owner.email }).lean();
    if (!owner) throw new Error(`${demo.slug}: owner missing after provisioning`);
    // Through the members use case, as the owner: the directory and the audit log follow.
    for (const u of demo.others) {
      if (await models.User.exists({ email: u.email })) continue;
      await tenancy.members.add(
        scope,
        { user: owner },
        { email: u.email, name: u.name, role: u.role, password: DEMO_PASSWORD },
      );
    }
    if ((await models.Note.countDocuments({})) === 0) {
      for (const n of demo.notes)
        await models.Note.create({ ...n, authorId: owner._id, authorName: owner.name });
    }
  });
  return existed ? "exists" : "created";
}

async function main() {
  const tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: MONGODB_URI,
    encryptionKey: ENCRYPTION_KEY,
    logger,
  });
  try {
    await ensureAdmin(tenancy);
    const results = [];
    for (const demo of DEMO) results.push(await ensureTenant(tenancy, demo));
    // Today's usage snapshot (real measurements: seats, storage, notes), so the usage pages show
    // figures before the first calls; API calls are only ever counted, never seeded.
    for (const demo of DEMO)
      await tenancy.usage.snapshot((await tenancy.registry.getBySlug(demo.slug)).id);
    const fresh = results.includes("created");
    console.log(
      `demo tenants${fresh ? " (created now)" : ""} — every demo user's password: ${DEMO_PASSWORD}`,
    );
    for (const demo of DEMO) {
      const users = [demo.owner, ...demo.others].map((u) => `${u.email} (${u.role})`).join(", ");
      console.log(`  ${demo.slug.padEnd(8)} ${users}`);
    }
    console.log("  alice@acme.demo is in both tenants: her login shows the tenant picker");
  } finally {
    await tenancy.shutdown({ timeoutMs: 2_000 });
  }
}

main().catch((err: unknown) => {
  console.error("seed-demo failed:", err instanceof Error ? err.message : err);
  process.exit(1);
});
