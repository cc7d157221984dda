import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { createServerCaller } from "./api";
import { serverError } from "./errors";
import { getServices } from "./services";

/** Server-side caller for server components: same procedures, same cookies, no HTTP hop. */
export const getCaller = cache(async () => {
  const [services, h] = await Promise.all([getServices(), headers()]);
  return createServerCaller(services, h);
});

/**
 * Runs a server-side call for a signed-in page; a lost session goes through refresh to login
 * and a suspended tenant to the suspended page, instead of an error screen.
 */
export async function callOrRedirect<T>(
  fn: (caller: Awaited<ReturnType<typeof getCaller>>) => Promise<T>,
): Promise<T> {
  const caller = await getCaller();
  try {
    return await fn(caller);
  } catch (err) {
    const info = serverError(err);
    if (info.reason === "TENANT_SUSPENDED") redirect("/suspended");
    if (info.code === "UNAUTHORIZED") {
      const path = (await headers()).get("x-pathname") ?? "/";
      redirect(`/session/refresh?next=${encodeURIComponent(path)}`);
    }
    throw err;
  }
}
