import { RefundError } from "@refundkit/core";
import {
  type BadInputRow,
  badInputCases,
  countedAnswers,
  rejectionOf,
  specExample,
  useMswServer,
} from "@refundkit/test-utils";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  type BriqpayLine,
  type BriqpayRefundRequest,
  briqpayAdapter,
  briqpayCapabilities,
} from "../src/index.js";

const URL_ = "https://playground-api.briqpay.com/v3/session/:id/order/refund";
const SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";
const example = (name: string) => specExample("briqpay", name);

const server = useMswServer();
/** The refund endpoint: each test sets its answer and counts the requests it got. */
const endpoint = countedAnswers(server, URL_);
const answer = endpoint.answer;

const adapter = briqpayAdapter.connect(
  { environment: "sandbox", username: "u", secret: "s" },
  { maxRetries: 3, timeoutMs: 2000 },
);
const base = { orderId: SESSION, amount: 3000, currency: "SEK" } as const;

/** The RefundError the adapter rejects `request` with (fails when it resolves). */
const refundError = (request: BriqpayRefundRequest) =>
  rejectionOf(adapter.refund(request), RefundError);

const errorBody = (code: string, message: string) => ({ error: { code, message } });

describe("briqpay adapter: success", () => {
  it("maps the documented 201 (pending) to a pending result", async () => {
    const body = example("RefundOrder.201.json");
    answer(() => HttpResponse.json(body, { status: 201 }));
    const result = await adapter.refund(base);
    expect(result).toEqual({
      provider: "briqpay",
      orderId: SESSION,
      status: "pending",
      refundId: "string",
      amount: 3000,
      currency: "SEK",
      idempotencyKey: null,
      raw: body,
    });
  });

  it("approved -> succeeded; rejected in a 2xx is RefundError declined with raw and the refund id", async () => {
    answer(() =>
      HttpResponse.json(
        { refundId: "r-1", status: "approved", amountIncVat: 3000, currency: "SEK" },
        { status: 201 },
      ),
    );
    expect(await adapter.refund(base)).toMatchObject({ status: "succeeded", refundId: "r-1" });
    answer(() => HttpResponse.json({ refundId: "r-2", status: "rejected" }, { status: 201 }));
    const error = await adapter.refund(base).then(
      () => expect.unreachable("a rejected refund is not a result"),
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: "RefundError",
      code: "declined",
      status: 201,
      retryable: false,
      refundId: "r-2",
      raw: { refundId: "r-2", status: "rejected" },
    });
    // An unknown status word is not taken as a failure: pending, the body in raw.
    answer(() => HttpResponse.json({ refundId: "r-3", status: "on_hold" }, { status: 201 }));
    expect(await adapter.refund(base)).toMatchObject({
      status: "pending",
      refundId: "r-3",
      // No amountIncVat in the answer: the 2xx took the amount asked for.
      amount: 3000,
      raw: { status: "on_hold" },
    });
  });

  it("treats a 2xx with malformed JSON as success, raw = the text", async () => {
    answer(() => new HttpResponse("Created", { status: 201 }));
    const result = await adapter.refund(base);
    expect(result).toMatchObject({ status: "pending", refundId: null, raw: "Created" });
  });
});

describe("briqpay adapter: errors", () => {
  const rows: [number, string, string, string][] = [
    [400, "INVALID_DATA", "cart is invalid", "invalid_request"],
    [
      400,
      "REFUND_NOT_ALLOWED",
      "refund amount exceeds the remaining captured amount",
      "amount_exceeds_refundable",
    ],
    [400, "REFUND_NOT_ALLOWED", "refunds are not allowed for this session", "not_refundable"],
    [400, "ORDER_NOT_CAPTURED", "not captured", "not_refundable"],
    [400, "ORDER_NOT_COMPLETED", "not completed", "not_refundable"],
    [400, "ORDER_CANCELLED", "cancelled", "not_refundable"],
    [400, "ORDER_PENDING", "pending", "not_refundable"],
    [400, "REFUND_NOT_SUPPORTED", "psp cannot refund", "unsupported"],
    [400, "INVALID_CREDENTIALS", "string", "authentication_failed"],
    [403, "INVALID_CREDENTIALS", "string", "authentication_failed"],
    [403, "INVALID_API_KEY", "bad key", "authentication_failed"],
    [403, "AUTH_SECRET_EXPIRED", "expired", "authentication_failed"],
  ];
  it.each(rows)("%i %s (%s) -> %s", async (status, code, message, expected) => {
    const body = errorBody(code, message);
    answer(() => HttpResponse.json(body, { status }));
    const error = await refundError(base);
    expect(error).toMatchObject({ code: expected, status, retryable: false });
    expect(error.raw).toEqual(body);
    expect(error.message).toContain(code);
  });

  it("the documented 400 and 403 example bodies -> authentication_failed", async () => {
    for (const [status, file] of [
      [400, "RefundOrder.400.json"],
      [403, "RefundOrder.403.json"],
    ] as const) {
      const body = example(file);
      answer(() => HttpResponse.json(body, { status }));
      const error = await refundError(base);
      expect(error).toMatchObject({ code: "authentication_failed", status });
      expect(error.raw).toEqual(body);
    }
  });

  it("does not retry a 500 (no idempotency handle): one call, not retryable", async () => {
    answer(() => HttpResponse.text("oops", { status: 500 }));
    const error = await refundError(base);
    expect(error).toMatchObject({
      code: "provider_error",
      status: 500,
      retryable: false,
      raw: "oops",
    });
    expect(endpoint.calls).toBe(1);
  });

  it("429 -> rate_limited (retryable), sent once", async () => {
    answer(() => HttpResponse.json({}, { status: 429 }));
    expect(await refundError(base)).toMatchObject({ code: "rate_limited", retryable: true });
    expect(endpoint.calls).toBe(1);
  });
});

const good: BriqpayLine = {
  productType: "physical",
  name: "Shirt",
  quantity: 1,
  quantityUnit: "pc",
  unitPrice: 1000,
  taxRate: 2500,
};

describe("briqpay adapter: bad input sends nothing", () => {
  const bad = (overrides: Record<string, unknown>): BriqpayLine[] =>
    [{ ...good, ...overrides }] as unknown as BriqpayLine[];
  const cases: BadInputRow<BriqpayRefundRequest>[] = [
    ["a missing amount without a cart", { orderId: SESSION, currency: "SEK" }, "unsupported"],
    ["a non-UUID session id", { ...base, orderId: "order-1" }, "invalid_request"],
    ["a path-changing session id", { ...base, orderId: "../x" }, "invalid_request"],
    ["a non-UUID captureId", { ...base, captureId: "cap-1" }, "invalid_request"],
    ["a missing currency", { orderId: SESSION, amount: 10 }, "invalid_request"],
    ["a negative amount", { ...base, amount: -5 }, "invalid_request"],
    ["an empty cart", { ...base, cart: [] }, "invalid_request"],
    [
      "a fractional unitPrice",
      { ...base, amount: undefined, cart: bad({ unitPrice: 10.5 }) },
      "invalid_request",
    ],
    ["quantity 0", { ...base, amount: undefined, cart: bad({ quantity: 0 }) }, "invalid_request"],
    [
      "a 257-character name",
      { ...base, amount: undefined, cart: bad({ name: "x".repeat(257) }) },
      "invalid_request",
    ],
    [
      "an unknown productType",
      { ...base, amount: undefined, cart: bad({ productType: "gift" }) },
      "invalid_request",
    ],
    [
      "taxRate over 10000",
      { ...base, amount: undefined, cart: bad({ taxRate: 10_001 }) },
      "invalid_request",
    ],
    [
      "a negative discountPercentage",
      { ...base, amount: undefined, cart: bad({ discountPercentage: -1 }) },
      "invalid_request",
    ],
    [
      "a quantityUnit over 10 characters",
      { ...base, amount: undefined, cart: bad({ quantityUnit: "pieces-long" }) },
      "invalid_request",
    ],
    [
      "an amount that differs from the cart total",
      { ...base, amount: 1000, cart: [good] },
      "invalid_request",
    ],
    [
      "a cart that totals zero or less",
      { ...base, amount: undefined, cart: bad({ productType: "discount", unitPrice: -100 }) },
      "invalid_request",
    ],
    ["a reason over 256 characters", { ...base, reason: "r".repeat(257) }, "invalid_request"],
    ["a bad idempotencyKey", { ...base, idempotencyKey: "" }, "invalid_request"],
  ];
  badInputCases(server, {
    name: "refuses %s",
    refund: (request) => adapter.refund(request),
    type: RefundError,
    rows: cases,
  });

  it("accepts the cart with the matching amount", async () => {
    answer(() => HttpResponse.json({ refundId: "r", status: "pending" }, { status: 201 }));
    await adapter.refund({ ...base, amount: 1250, cart: [good] });
    expect(endpoint.calls).toBe(1);
  });
});

describe("briqpay capabilities", () => {
  it("are the documented ones", () => {
    expect(briqpayCapabilities).toEqual({
      partialRefunds: true,
      fullRefundWithoutAmount: false,
      idempotency: "none",
      pendingResults: true,
      lineItems: true,
    });
    expect(adapter.capabilities).toBe(briqpayCapabilities);
  });
});
