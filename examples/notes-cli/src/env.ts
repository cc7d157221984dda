// The example's configuration, validated once.
import { z } from "zod";

const schema = z.object({
  TENANTRY_URL: z.url().default("http://127.0.0.1:4000"),
  TENANTRY_EMAIL: z.email(),
  TENANTRY_PASSWORD: z.string().min(1),
  /** Needed only when the email belongs to several tenants. */
  TENANTRY_TENANT: z.string().optional(),
  NOTE_TITLE: z.string().min(1).max(200).default("Hello from the example program"),
});

export type ExampleEnv = z.infer<typeof schema>;

export function loadEnv(): ExampleEnv {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  return parsed.data;
}
