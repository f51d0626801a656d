import { RefundError } from "@refundkit/core";
import { type TokenAuthProvider, tokenAuthScenarios, useMswServer } from "@refundkit/test-utils";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createSezzleClient, type SezzleClientOptions, sezzleAdapter } from "../src/index.js";
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

const UNAUTHORIZED = [{ code: "unauthorized", message: "authorization not accepted" }];

const keys = { environment: "sandbox", publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY } as const;

const SEZZLE: TokenAuthProvider<ReturnType<typeof tokenIssuer>["state"]> = {
  provider: "sezzle",
  RefundError,
  credentials: keys,
  secret: PRIVATE_KEY,
  issuer: (lifetimeSeconds) =>
    lifetimeSeconds === undefined ? tokenIssuer() : tokenIssuer(lifetimeSeconds * 1000),
  tokenPrefix: "tok-",
  authUrl: AUTH_URL,
  refundUrl: REFUND_URL,
  refundOk: REFUND_OK,
  unauthorized: UNAUTHORIZED,
  refusedCredentials: UNAUTHORIZED,
  connect: (config) => {
    const client = createSezzleClient(config as SezzleClientOptions);
    return (order) => refund(client, order);
  },
  adapterRefund: (config) =>
    sezzleAdapter
      .connect(config as SezzleClientOptions)
      .refund({ orderId: "ord-1", amount: 100, currency: "USD" }),
  expectTokenRequest: (state) => {
    expect(state.bodies[0]).toEqual({ public_key: PUBLIC_KEY, private_key: PRIVATE_KEY });
  },
};

describe("key auth: POST /v2/authentication, and a static token", () => {
  tokenAuthScenarios(server, SEZZLE);

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
