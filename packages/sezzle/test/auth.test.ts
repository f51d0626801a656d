import { RefundError } from "@refundkit/core";
import { useMswServer } from "@refundkit/test-utils";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSezzleClient } from "../src/index.js";
import {
  AUTH_URL,
  PRIVATE_KEY,
  PUBLIC_KEY,
  REFUND_OK,
  REFUND_URL,
  tokenIssuer,
} from "./helpers.js";

const server = useMswServer();

function refund(client: ReturnType<typeof createSezzleClient>, order = "ord-1") {
  return client.POST("/v2/order/{order_uuid}/refund", {
    params: { path: { order_uuid: order }, header: { "Sezzle-Request-Id": `req-${order}` } },
    body: { amount_in_cents: 100, currency: "USD" },
  });
}

const keys = { environment: "sandbox", publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY } as const;

afterEach(() => {
  vi.useRealTimers();
});

describe("key auth: POST /v2/authentication", () => {
  it("fetches a token once with the JSON keys and reuses it", async () => {
    const issuer = tokenIssuer();
    const seen: (string | null)[] = [];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, ({ request }) => {
        seen.push(request.headers.get("authorization"));
        return HttpResponse.json(REFUND_OK);
      }),
    );
    const client = createSezzleClient(keys);
    expect((await refund(client, "a")).data).toEqual(REFUND_OK);
    expect((await refund(client, "b")).data).toEqual(REFUND_OK);
    expect(issuer.state.calls).toBe(1);
    expect(issuer.state.bodies[0]).toEqual({ public_key: PUBLIC_KEY, private_key: PRIVATE_KEY });
    expect(seen).toEqual(["Bearer tok-1", "Bearer tok-1"]);
  });

  it("concurrent first calls share one token request", async () => {
    const issuer = tokenIssuer();
    server.use(
      issuer.handler,
      http.post(REFUND_URL, () => HttpResponse.json(REFUND_OK)),
    );
    const client = createSezzleClient(keys);
    const results = await Promise.all(["a", "b", "c", "d"].map((order) => refund(client, order)));
    expect(results.map((r) => r.response.status as number)).toEqual([200, 200, 200, 200]);
    expect(issuer.state.calls).toBe(1);
  });

  it("fetches a new token once the cached one reaches its expiration_date (minus skew)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const issuer = tokenIssuer(2 * 60 * 60_000);
    const seen: (string | null)[] = [];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, ({ request }) => {
        seen.push(request.headers.get("authorization"));
        return HttpResponse.json(REFUND_OK);
      }),
    );
    const client = createSezzleClient(keys);
    await refund(client, "a");
    vi.setSystemTime(new Date("2026-01-01T01:58:00Z")); // 2 minutes before expiry: still good
    await refund(client, "b");
    vi.setSystemTime(new Date("2026-01-01T01:59:30Z")); // inside the refresh skew
    await refund(client, "c");
    expect(issuer.state.calls).toBe(2);
    expect(seen).toEqual(["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
  });

  it("token and keys: the given token first, a fetched one once it is refused", async () => {
    const issuer = tokenIssuer();
    const seen: (string | null)[] = [];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, ({ request }) => {
        const auth = request.headers.get("authorization");
        seen.push(auth);
        return auth === "Bearer cached-token" && seen.length > 1
          ? HttpResponse.json([{ code: "unauthorized", message: "authorization not accepted" }], {
              status: 401,
            })
          : HttpResponse.json(REFUND_OK);
      }),
    );
    const client = createSezzleClient({ ...keys, token: "cached-token" });
    expect((await refund(client, "a")).response.status).toBe(200);
    expect(issuer.state.calls).toBe(0);
    expect((await refund(client, "b")).response.status).toBe(200);
    expect(issuer.state.calls).toBe(1);
    expect(seen).toEqual(["Bearer cached-token", "Bearer cached-token", "Bearer tok-1"]);
  });

  it("refreshes once on a 401, then succeeds with the new token", async () => {
    const issuer = tokenIssuer();
    const seen: (string | null)[] = [];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, ({ request }) => {
        const auth = request.headers.get("authorization");
        seen.push(auth);
        return auth === "Bearer tok-1"
          ? HttpResponse.json([{ code: "unauthorized", message: "authorization not accepted" }], {
              status: 401,
            })
          : HttpResponse.json(REFUND_OK);
      }),
    );
    const client = createSezzleClient(keys);
    const { data, response } = await refund(client);
    expect(response.status).toBe(200);
    expect(data).toEqual(REFUND_OK);
    expect(issuer.state.calls).toBe(2);
    expect(seen).toEqual(["Bearer tok-1", "Bearer tok-2"]);
  });

  it("a second 401 is final: the adapter reports authentication_failed", async () => {
    const { sezzleAdapter } = await import("../src/index.js");
    const issuer = tokenIssuer();
    let refundCalls = 0;
    const body = [{ code: "unauthorized", message: "authorization not accepted" }];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, () => {
        refundCalls += 1;
        return HttpResponse.json(body, { status: 401 });
      }),
    );
    const adapter = sezzleAdapter.connect(keys);
    const error = await adapter
      .refund({ orderId: "ord-1", amount: 100, currency: "USD" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({
      code: "authentication_failed",
      status: 401,
      retryable: false,
      raw: body,
    });
    expect(refundCalls).toBe(2);
    expect(issuer.state.calls).toBe(2);
  });

  it("a refused auth call is authentication_failed with the 401 body in raw, no refund sent", async () => {
    const body = [{ code: "unauthorized", message: "authorization not accepted" }];
    server.use(
      http.post(AUTH_URL, () => HttpResponse.json(body, { status: 401 })),
      http.post(REFUND_URL, () => HttpResponse.error()),
    );
    const client = createSezzleClient(keys);
    const error = await refund(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({
      code: "authentication_failed",
      status: 401,
      raw: body,
      provider: "sezzle",
    });
    expect(String((error as Error).message)).not.toContain(PRIVATE_KEY);
    expect(JSON.stringify(error)).not.toContain(PRIVATE_KEY);
  });

  it("an auth call failing with 500 is retried (it is safe to repeat)", async () => {
    let calls = 0;
    server.use(
      http.post(AUTH_URL, () => {
        calls += 1;
        if (calls === 1) {
          return HttpResponse.json(
            { message: "oops" },
            { status: 500, headers: { "Retry-After": "0" } },
          );
        }
        return HttpResponse.json({
          token: "tok",
          expiration_date: new Date(Date.now() + 3.6e6).toISOString(),
          merchant_uuid: "m",
        });
      }),
      http.post(REFUND_URL, () => HttpResponse.json(REFUND_OK)),
    );
    const { response } = await refund(createSezzleClient({ ...keys, maxRetries: 1 }));
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe("static token", () => {
  it("sends the token as given and never calls /v2/authentication", async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.post(REFUND_URL, ({ request }) => {
        seen.push(request.headers.get("authorization"));
        return HttpResponse.json(REFUND_OK);
      }),
    );
    const client = createSezzleClient({ environment: "sandbox", token: "static-token-1" });
    await refund(client);
    expect(seen).toEqual(["Bearer static-token-1"]);
  });

  it("a 401 with a static token is not retried (nothing to refresh)", async () => {
    let calls = 0;
    server.use(
      http.post(REFUND_URL, () => {
        calls += 1;
        return HttpResponse.json(
          [{ code: "unauthorized", message: "authorization not accepted" }],
          { status: 401 },
        );
      }),
    );
    const { response } = await refund(
      createSezzleClient({ environment: "sandbox", token: "expired" }),
    );
    expect(response.status).toBe(401);
    expect(calls).toBe(1);
  });
});

describe("config", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["no environment nor baseUrl", { token: "t" }, /environment .* or baseUrl is required/],
    ["unknown environment", { environment: "live", token: "t" }, /environment must be/],
    ["unknown region", { environment: "sandbox", region: "apac", token: "t" }, /region must be/],
    ["bad baseUrl", { baseUrl: "not a url", token: "t" }, /baseUrl must be an absolute/],
    ["no credentials", { environment: "sandbox" }, /credentials are required/],
    [
      "publicKey without privateKey",
      { environment: "sandbox", publicKey: PUBLIC_KEY },
      /privateKey is required/,
    ],
    [
      "privateKey without publicKey",
      { environment: "sandbox", privateKey: PRIVATE_KEY },
      /publicKey is required/,
    ],
    [
      "token and half the keys",
      { environment: "sandbox", token: "t", publicKey: PUBLIC_KEY },
      /privateKey is required/,
    ],
    ["empty token", { environment: "sandbox", token: "" }, /token must be a non-empty string/],
  ];
  it.each(cases)("%s -> invalid_request naming the field", (_name, config, message) => {
    let error: unknown;
    try {
      createSezzleClient(config as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({ code: "invalid_request", provider: "sezzle" });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(PRIVATE_KEY);
    expect((error as Error).message).not.toContain(PUBLIC_KEY);
  });

  it("picks hosts by environment and region; baseUrl wins over both", async () => {
    const hosts: string[] = [];
    const ok = ({ request }: { request: Request }) => {
      hosts.push(new URL(request.url).origin);
      return HttpResponse.json(REFUND_OK);
    };
    server.use(
      http.post("https://gateway.sezzle.com/v2/order/:order/refund", ok),
      http.post("https://sandbox.gateway.eu.sezzle.com/v2/order/:order/refund", ok),
      http.post("https://gateway.eu.sezzle.com/v2/order/:order/refund", ok),
      http.post("http://localhost:4010/sezzle/v2/order/:order/refund", ok),
    );
    await refund(createSezzleClient({ environment: "production", token: "t" }));
    await refund(createSezzleClient({ environment: "sandbox", region: "eu", token: "t" }));
    await refund(createSezzleClient({ environment: "production", region: "eu", token: "t" }));
    await refund(
      createSezzleClient({
        environment: "production",
        baseUrl: "http://localhost:4010/sezzle/",
        token: "t",
      }),
    );
    expect(hosts).toEqual([
      "https://gateway.sezzle.com",
      "https://sandbox.gateway.eu.sezzle.com",
      "https://gateway.eu.sezzle.com",
      "http://localhost:4010",
    ]);
  });
});
