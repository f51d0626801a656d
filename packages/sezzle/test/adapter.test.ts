import { inspect } from "node:util";
import { RefundError } from "@refundkit/core";
import {
  type BadInputRow,
  badInputCases,
  type ErrorAnswerRow,
  errorAnswerCases,
  rejectionOf,
  useMswServer,
} from "@refundkit/test-utils";
import { HttpResponse, http, type JsonBodyType } from "msw";
import { describe, expect, it } from "vitest";
import { sezzleAdapter, sezzleCapabilities } from "../src/index.js";
import { PRIVATE_KEY, PUBLIC_KEY, REFUND_OK, REFUND_URL, tokenIssuer } from "./helpers.js";

const server = useMswServer();
const connect = (extra: Record<string, unknown> = {}) =>
  sezzleAdapter.connect({ environment: "sandbox", token: "tok", ...extra }, { maxRetries: 0 });
const request = { orderId: "ord-1", amount: 2498, currency: "USD", idempotencyKey: "key-1" };

/** The RefundError `promise` rejects with (fails when it resolves). */
const failure = (promise: Promise<unknown>) => rejectionOf(promise, RefundError);

// The documented bodies: the component examples of Sezzle's refund reference
// (https://docs.sezzle.com/docs/api/core/orders/postv2refundbyorder) and docs/provider-behaviour.md.
const documented = {
  badRequest: [{ code: "bad_request", message: "bad request" }],
  unauthorized: [{ code: "unauthorized", message: "authorization not accepted" }],
  notFound: [{ code: "record_not_found", message: "not found" }],
  unprocessable: [{ code: "invalid", message: "Unprocessable entity" }],
  exceeds: [{ code: "invalid", message: "refund amount exceeds the remaining captured amount" }],
  currency: [{ code: "invalid", message: "currency does not match the order" }],
  merchant: [{ code: "invalid_merchant", message: "UnprocessableV2 entity" }],
} satisfies Record<string, JsonBodyType>;

describe("capabilities", () => {
  it("match docs/provider-behaviour.md", () => {
    expect(sezzleCapabilities).toEqual({
      partialRefunds: true,
      fullRefundWithoutAmount: false,
      idempotency: "header",
      pendingResults: false,
      lineItems: false,
    });
    expect(sezzleAdapter.capabilities).toBe(sezzleCapabilities);
    expect(connect().capabilities).toEqual(sezzleCapabilities);
  });
});

describe("2xx -> RefundResult", () => {
  it("200 {uuid}: refundId = uuid, the requested amount and currency, succeeded", async () => {
    server.use(http.post(REFUND_URL, () => HttpResponse.json(REFUND_OK)));
    await expect(connect().refund(request)).resolves.toEqual({
      provider: "sezzle",
      orderId: "ord-1",
      status: "succeeded",
      refundId: REFUND_OK.uuid,
      amount: 2498,
      currency: "USD",
      idempotencyKey: "key-1",
      raw: REFUND_OK,
    });
  });

  it("2xx with malformed JSON is still success, the text kept in raw", async () => {
    server.use(
      http.post(
        REFUND_URL,
        () =>
          new HttpResponse("{not json", {
            status: 200,
            headers: { "Content-Type": "application/json" },
          }),
      ),
    );
    const result = await connect().refund(request);
    expect(result).toMatchObject({
      status: "succeeded",
      refundId: null,
      amount: 2498,
      raw: "{not json",
    });
  });

  it("2xx with an unexpected JSON body is success with refundId null", async () => {
    server.use(
      http.post(REFUND_URL, () => HttpResponse.json({ something: "else" }, { status: 201 })),
    );
    const result = await connect().refund(request);
    expect(result).toMatchObject({
      status: "succeeded",
      refundId: null,
      raw: { something: "else" },
    });
  });
});

describe("error answers -> RefundError", () => {
  const rows: ErrorAnswerRow[] = [
    ["400 bad_request", 400, documented.badRequest, "invalid_request", false],
    [
      "401 unauthorized (static token)",
      401,
      documented.unauthorized,
      "authentication_failed",
      false,
    ],
    ["404 record_not_found", 404, documented.notFound, "not_found", false],
    ["422 invalid, exceeds", 422, documented.exceeds, "amount_exceeds_refundable", false],
    ["422 invalid, other (currency)", 422, documented.currency, "not_refundable", false],
    ["422 invalid (spec example)", 422, documented.unprocessable, "not_refundable", false],
    ["422 invalid_merchant", 422, documented.merchant, "permission_denied", false],
    ["429", 429, [{ code: "too_many_requests" }], "rate_limited", true],
    ["500", 500, [{ code: "internal", message: "boom" }], "provider_error", true],
    ["503 plain text", 503, "Service Unavailable", "provider_error", true],
  ];
  errorAnswerCases(server, {
    url: REFUND_URL,
    provider: "sezzle",
    refund: () => connect().refund(request),
    type: RefundError,
    rows,
  });

  it("a 422 amount message also matches 'greater than'", async () => {
    const body = [{ code: "invalid", message: "amount is greater than the captured amount" }];
    server.use(http.post(REFUND_URL, () => HttpResponse.json(body, { status: 422 })));
    expect((await failure(connect().refund(request))).code).toBe("amount_exceeds_refundable");
  });
});

describe("bad input sends nothing", () => {
  const cases: BadInputRow<Record<string, unknown>>[] = [
    ["path-changing orderId", { orderId: "../admin" }, "invalid_request"],
    ["orderId with a slash", { orderId: "a/b" }, "invalid_request"],
    ["empty orderId", { orderId: "" }, "invalid_request"],
    ["no amount", { amount: undefined }, "unsupported"],
    ["float amount", { amount: 24.98 }, "invalid_request"],
    ["zero amount", { amount: 0 }, "invalid_request"],
    ["negative amount", { amount: -5 }, "invalid_request"],
    ["no currency", { currency: undefined }, "invalid_request"],
    ["lower-case currency", { currency: "usd" }, "invalid_request"],
    ["unknown currency", { currency: "ABC" }, "invalid_request"],
    ["idempotencyKey with spaces", { idempotencyKey: "a b" }, "invalid_request"],
    ["reason too long", { reason: "x".repeat(256) }, "invalid_request"],
  ];
  badInputCases(server, {
    refund: (patch) => connect().refund({ ...request, ...patch } as typeof request),
    type: RefundError,
    rows: cases,
  });
});

describe("retries", () => {
  it("retries a 500 with the same Sezzle-Request-Id and body, then succeeds", async () => {
    const seen: { key: string | null; body: string }[] = [];
    server.use(
      http.post(REFUND_URL, async ({ request: req }) => {
        seen.push({ key: req.headers.get("sezzle-request-id"), body: await req.text() });
        return seen.length === 1
          ? HttpResponse.json([{ code: "internal" }], {
              status: 500,
              headers: { "Retry-After": "0" },
            })
          : HttpResponse.json(REFUND_OK);
      }),
    );
    const adapter = sezzleAdapter.connect(
      { environment: "sandbox", token: "tok" },
      { maxRetries: 2 },
    );
    const result = await adapter.refund({ orderId: "ord-1", amount: 100, currency: "USD" });
    expect(seen).toHaveLength(2);
    expect(seen[0]?.key).toBe(result.idempotencyKey);
    expect(seen[1]).toEqual(seen[0]);
    expect(result.refundId).toBe(REFUND_OK.uuid);
  });

  it("gives up after maxRetries with a retryable provider_error", async () => {
    let calls = 0;
    server.use(
      http.post(REFUND_URL, () => {
        calls += 1;
        return HttpResponse.json([{ code: "internal" }], {
          status: 500,
          headers: { "Retry-After": "0" },
        });
      }),
    );
    const adapter = sezzleAdapter.connect(
      { environment: "sandbox", token: "tok" },
      { maxRetries: 1 },
    );
    const error = await failure(adapter.refund(request));
    expect(error).toMatchObject({ code: "provider_error", status: 500, retryable: true });
    expect(calls).toBe(2);
  });

  it("a network failure is retried with the same key and reported as network_error at the end", async () => {
    let calls = 0;
    server.use(
      http.post(REFUND_URL, () => {
        calls += 1;
        return HttpResponse.error();
      }),
    );
    const adapter = sezzleAdapter.connect(
      { environment: "sandbox", token: "tok" },
      { maxRetries: 1 },
    );
    const error = await failure(adapter.refund(request));
    expect(error.code).toBe("network_error");
    expect(error.status).toBeNull();
    expect(calls).toBe(2);
  });
});

describe("no credential leaks", () => {
  it("keys and tokens appear in no error message, JSON or inspect of client, adapter or error", async () => {
    const issuer = tokenIssuer();
    server.use(
      issuer.handler,
      http.post(REFUND_URL, () => HttpResponse.json(documented.notFound, { status: 404 })),
    );
    const adapter = sezzleAdapter.connect(
      { environment: "sandbox", publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY },
      { maxRetries: 0 },
    );
    const error = await failure(adapter.refund(request));
    const surfaces = [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      inspect(adapter, { depth: 10, showHidden: true }),
      JSON.stringify(adapter),
      String(error.stack),
    ];
    for (const text of surfaces) {
      expect(text).not.toContain(PRIVATE_KEY);
      expect(text).not.toContain(PUBLIC_KEY);
      expect(text).not.toContain("tok-1");
    }
  });

  it("a refused config never echoes the key it refuses", () => {
    let error: unknown;
    try {
      sezzleAdapter.connect({ baseUrl: "http://localhost", privateKey: PRIVATE_KEY });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RefundError);
    expect(inspect(error)).not.toContain(PRIVATE_KEY);
    expect(JSON.stringify(error)).not.toContain(PRIVATE_KEY);
  });
});
