import { RefundError } from "@refundkit/core";
import { type TokenAuthProvider, tokenAuthScenarios, useMswServer } from "@refundkit/test-utils";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { resolveOpttyEndpoints } from "../src/client.js";
import { createOpttyClient, type OpttyClientOptions, opttyAdapter } from "../src/index.js";
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

const UNAUTHORIZED = { statusCode: 401, message: "Unauthorized" };

const OPTTY: TokenAuthProvider<ReturnType<typeof tokenIssuer>["state"]> = {
  provider: "optty",
  RefundError,
  credentials: creds,
  secret: CLIENT_SECRET,
  issuer: (lifetimeSeconds) => tokenIssuer(AUTH, lifetimeSeconds),
  tokenPrefix: "jwt-",
  authUrl: `${AUTH}/token`,
  refundUrl: REFUND_URL,
  refundOk: REFUND_OK,
  unauthorized: UNAUTHORIZED,
  refusedCredentials: UNAUTHORIZED,
  connect: (config) => {
    const client = createOpttyClient(config as OpttyClientOptions);
    return (ref) => refund(client, ref);
  },
  adapterRefund: (config) =>
    opttyAdapter
      .connect(config as OpttyClientOptions)
      .refund({ orderId: "order-1", amount: 100, currency: "AUD" }),
  expectTokenRequest: (state) => {
    expect(state.contentTypes[0]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(state.bodies[0]))).toEqual({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: "client_credentials",
      scope: "api-user",
    });
  },
};

describe("client credentials: POST /token, and a static token", () => {
  tokenAuthScenarios(server, OPTTY);
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
