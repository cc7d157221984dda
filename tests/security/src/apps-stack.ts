// What the apps-* security tests run against: the production builds of apps/web and apps/admin
// under `tenantry-next-serve` on free ports and a test database, started by the e2e suites' own stack
// starter (@tenantry/e2e/stack), and a cookie-keeping HTTP client per app that talks to
// them as a browser tab would. Data is seeded through the admin app's real tRPC surface.
import path from "node:path";

import { startStack } from "@tenantry/e2e/stack";

const PASSWORD = "Corr3ct-Horse-Battery";

export interface AppsStack {
  webUrl: string;
  adminUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** The apps' environment, secrets included (tests that sign their own tokens need JWT_SECRET). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Both apps on one database; `extraEnv` adds to their environment. Logs go to test-results/<name>/. */
export async function startAppsStack(
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<AppsStack> {
  const { info, env, stop } = await startStack(
    ["web", "admin"],
    path.resolve("test-results", name),
    extraEnv,
  );
  return {
    webUrl: info.webUrl,
    adminUrl: info.adminUrl,
    adminEmail: info.adminEmail,
    adminPassword: info.adminPassword,
    env,
    stop,
  };
}

export interface SetCookie {
  value: string;
  /** Lower-case attribute names to their values ("" for flags). */
  attrs: Map<string, string>;
}

/** The Set-Cookie lines of a response, by cookie name. */
export function setCookies(res: Response): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const line of res.headers.getSetCookie()) {
    const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    out.set(pair.slice(0, eq), {
      value: pair.slice(eq + 1),
      attrs: new Map(
        attrs.map((a) => {
          const i = a.indexOf("=");
          return i < 0 ? [a.toLowerCase(), ""] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
        }),
      ),
    });
  }
  return out;
}

/** One browser tab on one app: keeps its cookies, sends the CSRF header on tRPC calls. */
export class AppSession {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get origin(): string {
    return new URL(this.baseUrl).origin;
  }

  /** A request with this tab's cookies; redirects are not followed, Set-Cookie is kept. */
  async fetch(pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (jar && !headers.has("cookie")) headers.set("cookie", jar);
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
      redirect: "manual",
      ...init,
      headers,
    });
    for (const [name, c] of setCookies(res)) {
      const expired = c.value === "" || c.attrs.get("max-age") === "0";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, c.value);
    }
    return res;
  }

  async query<T>(procedure: string, input?: unknown): Promise<T> {
    const qs =
      input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return unwrap<T>(procedure, await this.fetch(`/api/trpc/${procedure}${qs}`));
  }

  async mutate<T>(procedure: string, input?: unknown): Promise<T> {
    return unwrap<T>(procedure, await this.mutateRaw(procedure, input));
  }

  mutateRaw(procedure: string, input?: unknown): Promise<Response> {
    return this.fetch(`/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-tenantry-csrf": "1", origin: this.origin },
      body: JSON.stringify({ json: input ?? null }),
    });
  }
}

async function unwrap<T>(procedure: string, res: Response): Promise<T> {
  const text = await res.text();
  const body = JSON.parse(text) as { result?: { data?: { json?: T } } };
  if (!res.ok || !body.result) throw new Error(`${procedure}: ${res.status} ${text.slice(0, 300)}`);
  return body.result.data?.json as T;
}

/** The super admin signed in to the admin app. */
export async function adminSession(stack: AppsStack): Promise<AppSession> {
  const admin = new AppSession(stack.adminUrl);
  await admin.mutate("auth.login", { email: stack.adminEmail, password: stack.adminPassword });
  return admin;
}

/** A tenant provisioned through the admin app, with its owner's credentials. */
export async function createTenant(
  admin: AppSession,
  slug: string,
): Promise<{ id: string; slug: string; email: string; password: string }> {
  const email = `owner@${slug}.test`;
  const { id } = await admin.mutate<{ id: string }>("tenants.create", {
    slug,
    name: `Tenant ${slug}`,
    owner: { email, name: `Owner of ${slug}`, password: PASSWORD },
  });
  return { id, slug, email, password: PASSWORD };
}

/** The tenant's owner signed in to the web app. */
async function webSession(
  stack: AppsStack,
  tenant: { email: string; password: string },
): Promise<AppSession> {
  const web = new AppSession(stack.webUrl);
  await web.mutate("auth.login", { email: tenant.email, password: tenant.password });
  return web;
}

export interface SignedInStack {
  stack: AppsStack;
  admin: AppSession;
  tenant: Awaited<ReturnType<typeof createTenant>>;
  /** The tenant's owner signed in to the web app. */
  web: AppSession;
}

/** A stack with one tenant, its super admin and its owner signed in. */
export async function startSignedInStack(
  name: string,
  slug: string,
  extraEnv: Record<string, string> = {},
): Promise<SignedInStack> {
  const stack = await startAppsStack(name, extraEnv);
  try {
    const admin = await adminSession(stack);
    const tenant = await createTenant(admin, slug);
    return { stack, admin, tenant, web: await webSession(stack, tenant) };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
