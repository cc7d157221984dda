import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { headers } from "next/headers";
import { NextResponse } from "next/server";
import { createAdminCaller } from "@tenantry/api";
import { serverError } from "@tenantry/next-kit/server";
import { getServices } from "~/server/api";

export const dynamic = "force-dynamic";

/** tRPC codes this route answers with their own status; anything else is a 500. */
const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
};

/**
 * Browser download of a tenant archive. The api writes the archive into the export folder (a
 * dedicated 0700 folder on this process's disk); we stream it out and then remove it, and the
 * folder's sweep removes any that nobody downloads.
 */
export async function GET(
  req: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  // Only a click on our own page may start an export, not a link on some other site.
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    return NextResponse.json(
      { error: "Start the export from the admin dashboard." },
      { status: 403 },
    );
  }
  const { id } = await params;
  // export is a mutation: the same-site check above stands in for the CSRF header of the tRPC client.
  const h = new Headers(await headers());
  h.set("x-tenantry-csrf", "1");
  h.delete("origin");
  const services = await getServices();
  const caller = createAdminCaller({ services, headers: h, tokenTransport: "cookie" });
  try {
    const { fileName } = await caller.tenants.export({ id });
    const folder = await services.exportFolder();
    const file = folder.pathOf(fileName);
    const size = (await stat(file)).size;
    const stream = createReadStream(file);
    stream.on("close", () => void folder.remove(fileName).catch(() => undefined));
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(size),
        "content-disposition": `attachment; filename="${fileName}"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    const info = serverError(err);
    const status = (info.code && STATUS[info.code]) || 500;
    const error =
      status === 500
        ? "Export failed."
        : info.code === "BAD_REQUEST"
          ? "Not a tenant id: expected 24 hexadecimal characters."
          : info.message;
    return NextResponse.json({ error }, { status });
  }
}
