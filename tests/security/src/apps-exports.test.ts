// Issue 13 items 5 and 10 (audit F-4/P01, F-13/P02): tenant export archives hold every user's
// password hash, all notes and pending invites. They wait for their download in a dedicated
// folder only the server's user can open (0700), as files only it can read (0600), and are
// removed after the download or after a short TTL; no answer names a server path. The download
// route answers a malformed tenant id with a 400 and a message, not a 500.
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppSession, AppsStack } from "./apps-stack";
import { adminSession, createTenant, startAppsStack } from "./apps-stack";

const TTL_SECONDS = 3;

let stack: AppsStack;
let admin: AppSession;
let tenantId = "";
let scratch = "";
let exportDir = "";

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "tenantry-sec-exports-"));
  exportDir = path.join(scratch, "exports");
  // An existing, too-open folder: the admin app must make it private, not trust it.
  await mkdir(exportDir, { mode: 0o755 });
  stack = await startAppsStack("apps-exports", {
    EXPORT_DIR: exportDir,
    EXPORT_TTL_SECONDS: String(TTL_SECONDS),
  });
  admin = await adminSession(stack);
  tenantId = (await createTenant(admin, "export-co")).id;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const mode = async (p: string) => (await stat(p)).mode & 0o777;

async function waitUntilEmpty(dir: string, withinMs: number): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  let left = await readdir(dir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = await readdir(dir);
  }
  return left;
}

/** A click on the admin dashboard's download link (same-origin navigation). */
const download = (id: string) =>
  admin.fetch(`/api/tenants/${id}/export`, { headers: { "sec-fetch-site": "same-origin" } });

describe("export archives", () => {
  it("a download streams the archive and leaves nothing behind; the answer names no server path", async () => {
    const res = await download(tenantId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="export-co-[\w-]+\.tenantry-export"$/,
    );
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 2).toString("hex")).toBe("1f8b"); // gzip
    expect(JSON.stringify([...res.headers])).not.toContain(scratch);
    expect(await waitUntilEmpty(exportDir, 5_000)).toEqual([]);
  });

  it("waiting archives are 0600 in a 0700 folder, removed after the TTL; no answer or audit entry names a path", async () => {
    const res = await admin.mutateRaw("tenants.export", { id: tenantId });
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(raw).not.toContain(scratch);
    const out = (JSON.parse(raw) as { result: { data: { json: Record<string, unknown> } } }).result
      .data.json;
    expect(out).not.toHaveProperty("file");
    expect(out.fileName).toMatch(/^export-co-[\w-]+\.tenantry-export$/);

    expect(await mode(exportDir)).toBe(0o700);
    const files = await readdir(exportDir);
    expect(files).toEqual([out.fileName]);
    expect(await mode(path.join(exportDir, files[0] ?? ""))).toBe(0o600);

    // Nobody downloads it: the sweep removes it once it is older than the TTL.
    expect(await waitUntilEmpty(exportDir, TTL_SECONDS * 1000 + 15_000)).toEqual([]);

    const audit = await admin.fetch(
      `/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { action: "tenant.exported" } }))}`,
    );
    expect(audit.status).toBe(200);
    const auditText = await audit.text();
    expect(auditText).toContain("tenant.exported");
    expect(auditText).not.toContain(scratch);
  });

  it("an inline export returns the archive and keeps no copy on the server", async () => {
    const out = await admin.mutate<{ archiveBase64: string; sizeBytes: number }>("tenants.export", {
      id: tenantId,
      inline: true,
    });
    expect(Buffer.from(out.archiveBase64, "base64").length).toBe(out.sizeBytes);
    expect(await readdir(exportDir)).toEqual([]);
  });
});

describe("the download route's answers", () => {
  it("a malformed tenant id is a 400 with a message, not a 500; an unknown one a 404", async () => {
    for (const id of ["not-an-id", "..%2F..%2Fetc%2Fpasswd", "0".repeat(23), "Z".repeat(24)]) {
      const res = await download(id);
      expect(res.status, id).toBe(400);
      const body = (await res.json()) as { error: string };
      expect(body.error, id).toMatch(/tenant id/i);
    }
    const unknown = await download("0".repeat(24));
    expect(unknown.status).toBe(404);
    expect(await readdir(exportDir)).toEqual([]);
  });
});
