// Keeps a program's access and refresh tokens: attaches the bearer token to every call, refreshes
// shortly before expiry, and once more when the server says the token expired.

export interface Tokens {
  accessToken: string | null;
  refreshToken: string | null;
}

export interface TokenSessionOptions {
  initial: Tokens;
  /** Performs the refresh call (without going through this session). */
  refresh: (refreshToken: string) => Promise<Tokens>;
  /** Told about every new pair, e.g. to persist it. */
  onTokens?: (tokens: Tokens) => void;
  /** Refresh this long before the access token expires (default 30 s). */
  skewMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Milliseconds-since-epoch expiry of a JWT, or null if it cannot be read (the server decides). */
function jwtExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
      exp?: unknown;
    };
    return typeof payload.exp === "number" ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

export class TokenSession {
  private tokens: Tokens;
  private inflight: Promise<void> | null = null;
  private readonly skewMs: number;
  private readonly baseFetch: typeof globalThis.fetch;

  constructor(private readonly opts: TokenSessionOptions) {
    this.tokens = { ...opts.initial };
    this.skewMs = opts.skewMs ?? 30_000;
    this.baseFetch = opts.fetch ?? globalThis.fetch;
  }

  get(): Tokens {
    return { ...this.tokens };
  }

  set(tokens: Tokens): void {
    this.tokens = { ...tokens };
    this.opts.onTokens?.(this.get());
  }

  clear(): void {
    this.set({ accessToken: null, refreshToken: null });
  }

  /** Refreshes once even if many calls ask at the same moment (a refresh token is single-use). */
  refresh(): Promise<void> {
    const refreshToken = this.tokens.refreshToken;
    if (!refreshToken) return Promise.reject(new Error("No refresh token: log in first"));
    this.inflight ??= this.opts
      .refresh(refreshToken)
      .then((next) => this.set(next))
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private expiresSoon(): boolean {
    const exp = this.tokens.accessToken ? jwtExpiry(this.tokens.accessToken) : null;
    return exp !== null && exp - Date.now() < this.skewMs;
  }

  /** A fetch for tRPC's httpLink that carries and renews the bearer token. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (this.tokens.refreshToken && (this.expiresSoon() || !this.tokens.accessToken)) {
      await this.refresh().catch(() => undefined); // the call below then reports the real error
    }
    const send = () => {
      const headers = new Headers(init?.headers);
      if (this.tokens.accessToken)
        headers.set("authorization", `Bearer ${this.tokens.accessToken}`);
      return this.baseFetch(input, { ...init, headers });
    };
    const res = await send();
    if (res.status !== 401 || !this.tokens.refreshToken) return res;
    const body = (await res
      .clone()
      .json()
      .catch(() => null)) as { error?: { json?: { data?: { reason?: string } } } } | null;
    if (body?.error?.json?.data?.reason !== "TOKEN_EXPIRED") return res;
    try {
      await this.refresh();
    } catch {
      return res;
    }
    return send();
  };
}
