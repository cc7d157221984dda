// tRPC over plain fetch: the exact bytes a client sends, so the fuzzer can send anything (wrong
// types, operator objects, non-superjson bodies) and every caller sees the raw HTTP status.
import superjson from "superjson";

export type Surface = "app" | "admin";

export interface CallResult {
  status: number;
  ok: boolean;
  data: unknown;
  /** tRPC error code (e.g. BAD_REQUEST) and machine reason, when it failed. */
  code: string | null;
  reason: string | null;
  message: string | null;
  raw: string;
  /** The response headers (Set-Cookie, Retry-After, ...). */
  headers: Headers;
}

export interface CallOptions {
  token?: string | undefined;
  headers?: Record<string, string>;
  /** Send this exact body/query value instead of superjson-serialising `input`. */
  rawInput?: string;
  signal?: AbortSignal;
  /** Mount path instead of the standalone server's /trpc or /admin/trpc (e.g. a Next app's /api/trpc). */
  endpoint?: string;
}

/** superjson refuses to serialise keys such as "constructor"; the server must cope with them anyway. */
function encodeInput(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input });
  }
}

const endpoint = (surface: Surface) => (surface === "admin" ? "/admin/trpc" : "/trpc");

export async function callProcedure(
  baseUrl: string,
  surface: Surface,
  type: "query" | "mutation",
  path: string,
  input: unknown,
  opts: CallOptions = {},
): Promise<CallResult> {
  const encoded = opts.rawInput ?? (input === undefined ? undefined : encodeInput(input));
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let url = `${baseUrl}${opts.endpoint ?? endpoint(surface)}/${path}`;
  const init: RequestInit = { headers, ...(opts.signal ? { signal: opts.signal } : {}) };
  if (type === "query") {
    if (encoded !== undefined) url += `?input=${encodeURIComponent(encoded)}`;
  } else {
    init.method = "POST";
    headers["content-type"] = "application/json";
    if (encoded !== undefined) init.body = encoded;
  }
  const res = await fetch(url, init);
  const raw = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // A non-JSON body is itself a finding; callers look at status and raw.
  }
  const body = (parsed ?? {}) as {
    result?: { data?: unknown };
    error?: { json?: { message?: string; data?: { code?: string; reason?: string | null } } };
  };
  if (res.ok && body.result) {
    const data = body.result.data as
      { json: unknown; meta?: Parameters<typeof superjson.deserialize>[0]["meta"] } | undefined;
    return {
      status: res.status,
      ok: true,
      data: data
        ? superjson.deserialize({
            json: data.json as never,
            ...(data.meta ? { meta: data.meta } : {}),
          })
        : undefined,
      code: null,
      reason: null,
      message: null,
      raw,
      headers: res.headers,
    };
  }
  const err = body.error?.json;
  return {
    status: res.status,
    ok: false,
    data: null,
    code: err?.data?.code ?? null,
    reason: err?.data?.reason ?? null,
    message: err?.message ?? null,
    raw,
    headers: res.headers,
  };
}

/** Throws unless the call succeeded; returns its output. */
export async function expectOk<T>(p: Promise<CallResult>, what: string): Promise<T> {
  const r = await p;
  if (!r.ok)
    throw new Error(
      `${what} failed: HTTP ${r.status} ${r.code ?? ""} ${r.reason ?? ""} ${r.message ?? r.raw.slice(0, 300)}`,
    );
  return r.data as T;
}
