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
import { opttyAdapter, opttyCapabilities } from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, REFUND_OK, REFUND_URL, tokenIssuer } from "./helpers.js";

const server = useMswServer();
const connect = () =>
  opttyAdapter.connect({ environment: "sandbox", token: "jwt" }, { maxRetries: 0 });
const request = {
  orderId: "TgEHcPtpN2HSrTMK",
  amount: 10000,
  currency: "AUD",
  idempotencyKey: "ref-1",
};

/** The RefundError `promise` rejects with (fails when it resolves). */
const failure = (promise: Promise<unknown>) => rejectionOf(promise, RefundError);

// Seed 001's documented error bodies.
const documented = {
  overRefund: {
    statusCode: 400,
    message: "You can only refund amount up to AUD 24.98",
    error: "Bad Request",
  },
  invalidParams: {
    statusCode: 400,
    message: "Unexpected token a in JSON at position 157",
    error: "Bad Request",
  },
  unauthorized: { statusCode: 401, message: "Unauthorized" },
  notFound: { statusCode: 404, message: "Not Found" },
  serverError: { statusCode: 500, message: "Internal server error" },
} satisfies Record<string, JsonBodyType>;

describe("capabilities", () => {
  it("match docs/provider-behaviour.md", () => {
    expect(opttyCapabilities).toEqual({
      partialRefunds: true,
      fullRefundWithoutAmount: false,
      idempotency: "body",
      pendingResults: true,
      lineItems: false,
    });
    expect(connect().capabilities).toEqual(opttyCapabilities);
  });
});

describe("2xx -> RefundResult", () => {
  it.each([200, 201])(
    "%i with the documented body: bnplRefundId, refundedAmount in minor units, succeeded",
    async (status) => {
      server.use(http.post(REFUND_URL, () => HttpResponse.json(REFUND_OK, { status })));
      await expect(connect().refund(request)).resolves.toEqual({
        provider: "optty",
        orderId: "TgEHcPtpN2HSrTMK",
        status: "succeeded",
        refundId: REFUND_OK.bnplRefundId,
        amount: 10000,
        currency: "AUD",
        idempotencyKey: "ref-1",
        raw: REFUND_OK,
      });
    },
  );

  it("refundedAmount 24.98 -> 2498; no bnplRefundId -> refundReference", async () => {
    const { bnplRefundId: _omit, ...rest } = REFUND_OK;
    server.use(http.post(REFUND_URL, () => HttpResponse.json({ ...rest, refundedAmount: 24.98 })));
    const result = await connect().refund({ ...request, amount: 2498 });
    expect(result).toMatchObject({ amount: 2498, refundId: "TgEHcPtpN2HSrTMK-0-00" });
  });

  it("a refundedAmount sent as a string (the spec's type) converts too", async () => {
    server.use(
      http.post(REFUND_URL, () => HttpResponse.json({ ...REFUND_OK, refundedAmount: "24.98" })),
    );
    expect((await connect().refund({ ...request, amount: 2498 })).amount).toBe(2498);
  });

  it("PENDING with a callbackUrl -> pending", async () => {
    const body = {
      ...REFUND_OK,
      refundStatus: "PENDING",
      callbackUrl: "https://merchant.example/cb",
    };
    server.use(http.post(REFUND_URL, () => HttpResponse.json(body, { status: 201 })));
    expect((await connect().refund(request)).status).toBe("pending");
  });

  it("malformed JSON in a 2xx is still success, the text in raw", async () => {
    server.use(http.post(REFUND_URL, () => new HttpResponse("<html>ok</html>", { status: 200 })));
    const result = await connect().refund(request);
    expect(result).toMatchObject({
      status: "pending",
      refundId: null,
      // Nothing readable came back: the 2xx took the amount asked for.
      amount: 10000,
      raw: "<html>ok</html>",
      idempotencyKey: "ref-1",
    });
  });
});

describe("error answers -> RefundError", () => {
  const rows: ErrorAnswerRow[] = [
    ["400 over refund limit", 400, documented.overRefund, "amount_exceeds_refundable", false],
    ["400 invalid parameters", 400, documented.invalidParams, "invalid_request", false],
    ["401 (static token)", 401, documented.unauthorized, "authentication_failed", false],
    ["404", 404, documented.notFound, "not_found", false],
    ["429", 429, { statusCode: 429, message: "Too Many Requests" }, "rate_limited", true],
    ["500", 500, documented.serverError, "provider_error", true],
    ["502 plain text", 502, "Bad Gateway", "provider_error", true],
  ];
  errorAnswerCases(server, {
    url: REFUND_URL,
    provider: "optty",
    refund: () => connect().refund(request),
    type: RefundError,
    rows,
  });
});

describe("bad input sends nothing", () => {
  const cases: BadInputRow<Record<string, unknown>>[] = [
    ["path-changing orderId", { orderId: ".." }, "invalid_request"],
    ["orderId with a query", { orderId: "a?b=c" }, "invalid_request"],
    ["no amount", { amount: undefined }, "unsupported"],
    ["float amount", { amount: 24.98 }, "invalid_request"],
    ["zero amount", { amount: 0 }, "invalid_request"],
    ["no currency", { currency: undefined }, "invalid_request"],
    ["bad currency", { currency: "aud" }, "invalid_request"],
    ["3-decimal amount", { amount: 1005, currency: "KWD" }, "invalid_request"],
    ["idempotencyKey with a newline", { idempotencyKey: "a\nb" }, "invalid_request"],
    ["reason too long", { reason: "x".repeat(256) }, "invalid_request"],
    ["reason with control characters", { reason: "a\u0000b" }, "invalid_request"],
  ];
  badInputCases(server, {
    refund: (patch) => connect().refund({ ...request, ...patch } as typeof request),
    type: RefundError,
    rows: cases,
  });
});

describe("retries", () => {
  it("retries a 500 with the same refundReference and body bytes", async () => {
    const bodies: string[] = [];
    server.use(
      http.post(REFUND_URL, async ({ request: req }) => {
        bodies.push(await req.text());
        return bodies.length === 1
          ? HttpResponse.json(documented.serverError, {
              status: 500,
              headers: { "Retry-After": "0" },
            })
          : HttpResponse.json(REFUND_OK, { status: 201 });
      }),
    );
    const adapter = opttyAdapter.connect(
      { environment: "sandbox", token: "jwt" },
      { maxRetries: 2 },
    );
    const result = await adapter.refund({ orderId: "o1", amount: 100, currency: "AUD" });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(JSON.parse(bodies[0] ?? "{}")).toMatchObject({ refundReference: result.idempotencyKey });
  });
});

describe("no credential leaks", () => {
  it("client id/secret and tokens appear in no message, JSON or inspect", async () => {
    const issuer = tokenIssuer();
    server.use(
      issuer.handler,
      http.post(REFUND_URL, () => HttpResponse.json(documented.notFound, { status: 404 })),
    );
    const adapter = opttyAdapter.connect(
      { environment: "sandbox", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      { maxRetries: 0 },
    );
    const error = await failure(adapter.refund(request));
    for (const text of [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      inspect(adapter, { depth: 10, showHidden: true }),
      JSON.stringify(adapter),
    ]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(CLIENT_ID);
      expect(text).not.toContain("jwt-1");
    }
  });
});
