// The example's configuration, validated once.
import { z } from "zod";

const schema = z.object({
  TENANTRY_URL: z.url().default("http://127.0.0.1:4000"),
  /** A tenant API key with notes:read and notes:write (web app: Settings → API keys, or `tenantry keys create`). */
  TENANTRY_API_KEY: z
    .string({ error: "is required: create a key with the notes:read and notes:write scopes" })
    .regex(/^tnk_\S+$/, "must be a tenant API key (it starts with tnk_)"),
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
