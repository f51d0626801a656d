/**
 * The scenarios every provider that trades credentials for a bearer token shares (Sezzle's
 * POST /v2/authentication, Optty's POST /token): written once here, run by each provider's
 * auth test over its own row (endpoints, token names, error bodies, how its client is called).
 */
import { HttpResponse, http, type RequestHandler } from "msw";
import type { SetupServer } from "msw/node";
import { afterEach, expect, it, vi } from "vitest";

/** What one refund through a generated client gives back. */
export interface ClientAnswer {
  data?: unknown;
  response: Response;
}

/** A token endpoint handler (msw) and what it has seen. */
export interface TokenIssuer<State extends { calls: number }> {
  handler: RequestHandler;
  state: State;
}

/** One provider's row for {@link tokenAuthScenarios}. */
export interface TokenAuthProvider<State extends { calls: number }> {
  /** The provider name its RefundErrors carry. */
  provider: string;
  /** The RefundError class (from @refundkit/core) its errors must be instances of. */
  RefundError: abstract new (
    ...args: never[]
  ) => Error;
  /** The credentials that get a token (with `environment`). */
  credentials: Record<string, unknown>;
  /** The secret credential: it must never show in an error. */
  secret: string;
  /** A token endpoint issuing `${tokenPrefix}1`, `${tokenPrefix}2`, ... valid for `lifetimeSeconds`. */
  issuer: (lifetimeSeconds?: number) => TokenIssuer<State>;
  tokenPrefix: string;
  /** The token endpoint's URL (for a handler that refuses it). */
  authUrl: string;
  /** The refund endpoint as an msw pattern. */
  refundUrl: string;
  /** The provider's documented refund answer. */
  refundOk: unknown;
  /** The provider's 401 body for a bearer token it refuses. */
  unauthorized: unknown;
  /** The provider's 401 body for credentials its token endpoint refuses. */
  refusedCredentials: unknown;
  /** A client made from `config`; the function sends one refund, `id` telling requests apart. */
  connect: (config: Record<string, unknown>) => (id?: string) => Promise<ClientAnswer>;
  /** One refund through the provider's adapter connected with `config`. */
  adapterRefund: (config: Record<string, unknown>) => Promise<unknown>;
  /** The first token request as the provider documents it (content type, body). */
  expectTokenRequest: (state: State) => void;
}

/**
 * The shared token scenarios as `it` blocks in the calling `describe`: one token fetched and
 * reused, one token request for concurrent first calls, a new token at expiry (minus skew), a
 * given token used first, one refresh on a 401, a second 401 final, a refused token call, a
 * rate-limited token call (its Retry-After kept), and a static token sent as is and never refreshed.
 */
export function tokenAuthScenarios<State extends { calls: number }>(
  server: SetupServer,
  row: TokenAuthProvider<State>,
): void {
  const token = (n: number) => `Bearer ${row.tokenPrefix}${n}`;
  /** A refund handler recording each Authorization header; answers 401 when `refuse` says so. */
  const refunds = (
    refuse: (auth: string | null, seen: (string | null)[]) => boolean = () => false,
  ) => {
    const seen: (string | null)[] = [];
    const handler = http.post(row.refundUrl, ({ request }) => {
      const auth = request.headers.get("authorization");
      seen.push(auth);
      return refuse(auth, seen)
        ? HttpResponse.json(row.unauthorized as never, { status: 401 })
        : HttpResponse.json(row.refundOk as never);
    });
    return { seen, handler };
  };

  afterEach(() => {
    vi.useRealTimers();
  });

  /** The errors of one refund through the client and one through the adapter, with `row.credentials`. */
  const failures = async (): Promise<unknown[]> => [
    await row
      .connect(row.credentials)()
      .catch((e: unknown) => e),
    await row.adapterRefund(row.credentials).catch((e: unknown) => e),
  ];

  it("fetches a token once, as documented, and reuses it", async () => {
    const issuer = row.issuer();
    const refund = refunds();
    server.use(issuer.handler, refund.handler);
    const send = row.connect(row.credentials);
    expect((await send("a")).data).toEqual(row.refundOk);
    expect((await send("b")).data).toEqual(row.refundOk);
    expect(issuer.state.calls).toBe(1);
    row.expectTokenRequest(issuer.state);
    expect(refund.seen).toEqual([token(1), token(1)]);
  });

  it("concurrent first calls share one token request", async () => {
    const issuer = row.issuer();
    server.use(issuer.handler, refunds().handler);
    const send = row.connect(row.credentials);
    const results = await Promise.all(["a", "b", "c", "d"].map((id) => send(id)));
    expect(results.map((r) => r.response.status as number)).toEqual([200, 200, 200, 200]);
    expect(issuer.state.calls).toBe(1);
  });

  it("fetches a new token once the cached one reaches its expiry (minus skew)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const issuer = row.issuer(3600);
    const refund = refunds();
    server.use(issuer.handler, refund.handler);
    const send = row.connect(row.credentials);
    await send("a");
    vi.setSystemTime(new Date("2026-01-01T00:58:00Z")); // 2 minutes before expiry: still good
    await send("b");
    expect(issuer.state.calls).toBe(1);
    vi.setSystemTime(new Date("2026-01-01T00:59:30Z")); // inside the refresh skew
    await send("c");
    expect(issuer.state.calls).toBe(2);
    expect(refund.seen).toEqual([token(1), token(1), token(2)]);
  });

  it("a given token and credentials: the given token first, a fetched one once it is refused", async () => {
    const issuer = row.issuer();
    // The given token works once, then the provider refuses it.
    const refund = refunds((auth, seen) => auth === "Bearer cached-token" && seen.length > 1);
    server.use(issuer.handler, refund.handler);
    const send = row.connect({ ...row.credentials, token: "cached-token" });
    expect((await send("a")).response.status).toBe(200);
    expect(issuer.state.calls).toBe(0);
    expect((await send("b")).response.status).toBe(200);
    expect(issuer.state.calls).toBe(1);
    expect(refund.seen).toEqual(["Bearer cached-token", "Bearer cached-token", token(1)]);
  });

  it("refreshes once on a 401, then succeeds with the new token", async () => {
    const issuer = row.issuer();
    const refund = refunds((auth) => auth === token(1));
    server.use(issuer.handler, refund.handler);
    const { data, response } = await row.connect(row.credentials)();
    expect(response.status).toBe(200);
    expect(data).toEqual(row.refundOk);
    expect(issuer.state.calls).toBe(2);
    expect(refund.seen).toEqual([token(1), token(2)]);
  });

  it("a second 401 is final: the adapter reports authentication_failed", async () => {
    const issuer = row.issuer();
    const refund = refunds(() => true);
    server.use(issuer.handler, refund.handler);
    const error = await row.adapterRefund(row.credentials).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(row.RefundError);
    expect(error).toMatchObject({
      code: "authentication_failed",
      provider: row.provider,
      status: 401,
      retryable: false,
      raw: row.unauthorized,
    });
    expect(refund.seen).toHaveLength(2);
    expect(issuer.state.calls).toBe(2);
  });

  it("a refused token call is authentication_failed with its body in raw, and no refund is sent", async () => {
    server.use(
      http.post(row.authUrl, () =>
        HttpResponse.json(row.refusedCredentials as never, { status: 401 }),
      ),
      http.post(row.refundUrl, () => HttpResponse.error()),
    );
    const expected = {
      code: "authentication_failed",
      status: 401,
      raw: row.refusedCredentials,
      provider: row.provider,
    };
    for (const error of await failures()) {
      expect(error).toBeInstanceOf(row.RefundError);
      expect(error).toMatchObject(expected);
      expect(String((error as Error).message)).not.toContain(row.secret);
      expect(JSON.stringify(error)).not.toContain(row.secret);
    }
  });

  it("a rate-limited token call is rate_limited with the provider's Retry-After, and no refund is sent", async () => {
    // Longer than the resilient fetch waits for (maxRetryAfterMs, 60 s): answered at once.
    let tokenCalls = 0;
    server.use(
      http.post(row.authUrl, () => {
        tokenCalls++;
        return HttpResponse.json({}, { status: 429, headers: { "retry-after": "120" } });
      }),
      http.post(row.refundUrl, () => HttpResponse.error()),
    );
    const expected = {
      code: "rate_limited",
      status: 429,
      retryable: true,
      retryAfterMs: 120_000,
      provider: row.provider,
    };
    for (const error of await failures()) {
      expect(error).toBeInstanceOf(row.RefundError);
      expect(error).toMatchObject(expected);
    }
    // Once per call: a Retry-After beyond the limit is not waited for, nor retried sooner.
    expect(tokenCalls).toBe(2);
  });

  it("a static token is sent as given and the token endpoint never called", async () => {
    // No token handler: a token request would be unhandled and fail the test.
    const refund = refunds();
    server.use(refund.handler);
    const { response } = await row.connect({ environment: "sandbox", token: "static-token-1" })();
    expect(response.status).toBe(200);
    expect(refund.seen).toEqual(["Bearer static-token-1"]);
  });

  it("a 401 with a static token is not retried (nothing to refresh)", async () => {
    const refund = refunds(() => true);
    server.use(refund.handler);
    const { response } = await row.connect({ environment: "sandbox", token: "expired" })();
    expect(response.status).toBe(401);
    expect(refund.seen).toEqual(["Bearer expired"]);
  });
}
