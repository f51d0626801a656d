import { RefundError } from "@refundkit/core";
import { useMswServer } from "@refundkit/test-utils";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveOpttyEndpoints } from "../src/client.js";
import { createOpttyClient, opttyAdapter } from "../src/index.js";
import { AUTH, CLIENT_ID, CLIENT_SECRET, REFUND_OK, REFUND_URL, tokenIssuer } from "./helpers.js";

const server = useMswServer();
const creds = { environment: "sandbox", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } as const;

function refund(client: ReturnType<typeof createOpttyClient>, ref = "ref-1") {
  return client.POST("/orders/{orderReference}/refund", {
    params: { path: { orderReference: "order-1" } },
    body: {
      refundReference: ref,
      refundAmount: { amount: 1, currency: "AUD" },
      refundDescription: "x",
    },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("client credentials: POST /token", () => {
  it("fetches one token (form-encoded, scope api-user) and reuses it", async () => {
    const issuer = tokenIssuer();
    const seen: (string | null)[] = [];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, ({ request }) => {
        seen.push(request.headers.get("authorization"));
        return HttpResponse.json(REFUND_OK, { status: 201 });
      }),
    );
    const client = createOpttyClient(creds);
    await refund(client, "a");
    await refund(client, "b");
    expect(issuer.state.calls).toBe(1);
    expect(issuer.state.contentTypes[0]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(issuer.state.bodies[0]))).toEqual({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: "client_credentials",
      scope: "api-user",
    });
    expect(seen).toEqual(["Bearer jwt-1", "Bearer jwt-1"]);
  });

  it("concurrent first calls share one token request", async () => {
    const issuer = tokenIssuer();
    server.use(
      issuer.handler,
      http.post(REFUND_URL, () => HttpResponse.json(REFUND_OK)),
    );
    const client = createOpttyClient(creds);
    await Promise.all(["a", "b", "c"].map((ref) => refund(client, ref)));
    expect(issuer.state.calls).toBe(1);
  });

  it("caches the token for expires_in seconds", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const issuer = tokenIssuer(AUTH, 3600);
    server.use(
      issuer.handler,
      http.post(REFUND_URL, () => HttpResponse.json(REFUND_OK)),
    );
    const client = createOpttyClient(creds);
    await refund(client, "a");
    vi.setSystemTime(new Date("2026-01-01T00:58:00Z"));
    await refund(client, "b");
    expect(issuer.state.calls).toBe(1);
    vi.setSystemTime(new Date("2026-01-01T00:59:30Z"));
    await refund(client, "c");
    expect(issuer.state.calls).toBe(2);
  });

  it("refreshes once on a 401, then succeeds", async () => {
    const issuer = tokenIssuer();
    const seen: (string | null)[] = [];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, ({ request }) => {
        const auth = request.headers.get("authorization");
        seen.push(auth);
        return auth === "Bearer jwt-1"
          ? HttpResponse.json({ statusCode: 401, message: "Unauthorized" }, { status: 401 })
          : HttpResponse.json(REFUND_OK);
      }),
    );
    const { response } = await refund(createOpttyClient(creds));
    expect(response.status).toBe(200);
    expect(seen).toEqual(["Bearer jwt-1", "Bearer jwt-2"]);
    expect(issuer.state.calls).toBe(2);
  });

  it("token and client credentials: the given token first, a fetched one once it is refused", async () => {
    const issuer = tokenIssuer();
    const seen: (string | null)[] = [];
    server.use(
      issuer.handler,
      http.post(REFUND_URL, ({ request }) => {
        const auth = request.headers.get("authorization");
        seen.push(auth);
        return auth === "Bearer cached-jwt"
          ? HttpResponse.json({ statusCode: 401, message: "Unauthorized" }, { status: 401 })
          : HttpResponse.json(REFUND_OK);
      }),
    );
    const { response } = await refund(createOpttyClient({ ...creds, token: "cached-jwt" }));
    expect(response.status).toBe(200);
    expect(seen).toEqual(["Bearer cached-jwt", "Bearer jwt-1"]);
    expect(issuer.state.calls).toBe(1);
  });

  it("a second 401 -> authentication_failed from the adapter", async () => {
    const issuer = tokenIssuer();
    let calls = 0;
    const body = { statusCode: 401, message: "Unauthorized" };
    server.use(
      issuer.handler,
      http.post(REFUND_URL, () => {
        calls += 1;
        return HttpResponse.json(body, { status: 401 });
      }),
    );
    const error = await opttyAdapter
      .connect(creds)
      .refund({ orderId: "order-1", amount: 100, currency: "AUD" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({
      code: "authentication_failed",
      status: 401,
      raw: body,
      retryable: false,
    });
    expect(calls).toBe(2);
    expect(issuer.state.calls).toBe(2);
  });

  it("a refused token call -> authentication_failed with its body, and no refund is sent", async () => {
    const body = { statusCode: 401, message: "Unauthorized" };
    server.use(
      http.post(`${AUTH}/token`, () => HttpResponse.json(body, { status: 401 })),
      http.post(REFUND_URL, () => HttpResponse.error()),
    );
    const error = await opttyAdapter
      .connect(creds)
      .refund({ orderId: "order-1", amount: 100, currency: "AUD" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "authentication_failed",
      status: 401,
      raw: body,
      provider: "optty",
    });
    expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
  });
});

describe("static token", () => {
  it("is sent as is, /token never called, a 401 not retried", async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.post(REFUND_URL, ({ request }) => {
        seen.push(request.headers.get("authorization"));
        return HttpResponse.json({ statusCode: 401, message: "Unauthorized" }, { status: 401 });
      }),
    );
    const { response } = await refund(
      createOpttyClient({ environment: "sandbox", token: "my-jwt" }),
    );
    expect(response.status).toBe(401);
    expect(seen).toEqual(["Bearer my-jwt"]);
  });
});

describe("endpoints and config", () => {
  it("environment picks the API and auth hosts from the spec", () => {
    expect(resolveOpttyEndpoints({ environment: "production" })).toEqual({
      baseUrl: "https://api.optty.com",
      authBaseUrl: "https://auth.optty.com",
    });
    expect(resolveOpttyEndpoints({ environment: "sandbox" })).toEqual({
      baseUrl: "https://api.qa.optty.com",
      authBaseUrl: "https://auth.qa.optty.com",
    });
  });

  it("baseUrl alone puts /token under it (a local mock); authUrl wins, with or without /token", () => {
    expect(
      resolveOpttyEndpoints({ environment: "production", baseUrl: "http://localhost:4010/optty/" }),
    ).toEqual({
      baseUrl: "http://localhost:4010/optty",
      authBaseUrl: "http://localhost:4010/optty",
    });
    expect(
      resolveOpttyEndpoints({
        baseUrl: "http://localhost:4010",
        authUrl: "http://localhost:4011/token",
      }).authBaseUrl,
    ).toBe("http://localhost:4011");
    expect(
      resolveOpttyEndpoints({ environment: "sandbox", authUrl: "https://auth.example/" })
        .authBaseUrl,
    ).toBe("https://auth.example");
  });

  it("a mock on one origin: token and refund both go under baseUrl", async () => {
    const base = "http://localhost:4010/optty";
    const issuer = tokenIssuer(base);
    server.use(
      issuer.handler,
      http.post(`${base}/orders/:order/refund`, () => HttpResponse.json(REFUND_OK)),
    );
    const { response } = await refund(
      createOpttyClient({ baseUrl: base, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    );
    expect(response.status).toBe(200);
    expect(issuer.state.calls).toBe(1);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["no environment nor baseUrl", { token: "t" }, /environment .* or baseUrl is required/],
    ["unknown environment", { environment: "qa", token: "t" }, /environment must be/],
    ["bad authUrl", { environment: "sandbox", authUrl: "ftp://x", token: "t" }, /authUrl must be/],
    ["no credentials", { environment: "sandbox" }, /credentials are required/],
    ["clientId alone", { environment: "sandbox", clientId: CLIENT_ID }, /clientSecret is required/],
    [
      "clientSecret alone",
      { environment: "sandbox", clientSecret: CLIENT_SECRET },
      /clientId is required/,
    ],
    [
      "token and half the client credentials",
      { environment: "sandbox", token: "t", clientId: CLIENT_ID },
      /clientSecret is required/,
    ],
  ];
  it.each(bad)("%s -> invalid_request naming the field", (_name, config, message) => {
    let error: unknown;
    try {
      createOpttyClient(config as never);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "invalid_request", provider: "optty" });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(CLIENT_SECRET);
  });
});
