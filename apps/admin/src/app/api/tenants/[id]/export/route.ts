import { createReadStream } from "node:fs";
import { mkdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { headers } from "next/headers";
import { NextResponse } from "next/server";
import { getEnv } from "~/env";
import { createServerCaller } from "~/server/api";
import { serverError } from "~/server/errors";
import { getServices } from "~/server/services";

export const dynamic = "force-dynamic";

/**
 * Browser download of a tenant archive. The api writes the archive into EXPORT_DIR (this
 * process's disk); we stream it out and then remove it, so exports do not pile up.
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
  await mkdir(path.resolve(getEnv().EXPORT_DIR), { recursive: true });
  // export is a mutation: the same-site check above stands in for the CSRF header of the tRPC client.
  const h = new Headers(await headers());
  h.set("x-tenantry-csrf", "1");
  h.delete("origin");
  const caller = createServerCaller(await getServices(), h);
  try {
    const { file } = await caller.tenants.export({ id });
    const size = (await stat(file)).size;
    const stream = createReadStream(file);
    stream.on("close", () => void unlink(file).catch(() => undefined));
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(size),
        "content-disposition": `attachment; filename="${path.basename(file).replace(/[^\w.-]/g, "_")}"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    const info = serverError(err);
    const status =
      info.code === "UNAUTHORIZED"
        ? 401
        : info.code === "NOT_FOUND"
          ? 404
          : info.code === "FORBIDDEN"
            ? 403
            : 500;
    return NextResponse.json(
      { error: status === 500 ? "Export failed." : info.message },
      { status },
    );
  }
}
