import { RefundError } from "@refundkit/core";
import {
  type BadInputRow,
  badInputCases,
  countedAnswers,
  rejectionOf,
  specExample,
  useMswServer,
} from "@refundkit/test-utils";
import { delay, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { type LevelUpRefundRequest, levelupAdapter, levelupCapabilities } from "../src/index.js";

const BASE = "https://sandbox.thelevelup.com";
const ORDER = "393b75b0806011e29e960800200c9a66";
const example = (name: string) => specExample("levelup", name);

const server = useMswServer();
/** The refund endpoint: each test sets its answer and counts the requests it got. */
const endpoint = countedAnswers(server, `${BASE}/v14/orders/:uuid/refund`);
const answer = endpoint.answer;

const adapter = levelupAdapter.connect(
  { environment: "sandbox", token: "tok" },
  { maxRetries: 3, timeoutMs: 2000 },
);

/** The RefundError the adapter rejects `request` with (fails when it resolves). */
const refundError = (request: LevelUpRefundRequest) =>
  rejectionOf(adapter.refund(request), RefundError);

describe("levelup adapter: success", () => {
  it("maps the documented 200 to a succeeded result with total_amount and USD", async () => {
    const body = example("RefundOrder.200.json");
    answer(() => HttpResponse.json(body));
    const result = await adapter.refund({ orderId: ORDER });
    expect(result).toEqual({
      provider: "levelup",
      orderId: ORDER,
      status: "succeeded",
      refundId: null,
      amount: 5,
      currency: "USD",
      idempotencyKey: null,
      raw: body,
    });
  });

  it("keeps the request's currency", async () => {
    answer(() => HttpResponse.json(example("RefundOrder.200.json")));
    const result = await adapter.refund({ orderId: ORDER, currency: "CAD" });
    expect(result.currency).toBe("CAD");
  });

  it("treats a 2xx with a malformed body as success, raw = the text", async () => {
    answer(() => new HttpResponse("<html>ok</html>", { status: 200 }));
    const result = await adapter.refund({ orderId: ORDER });
    expect(result.status).toBe("succeeded");
    expect(result.amount).toBeNull();
    expect(result.raw).toBe("<html>ok</html>");
  });

  it("treats an empty 2xx as success", async () => {
    answer(() => new HttpResponse(null, { status: 204 }));
    const result = await adapter.refund({ orderId: ORDER });
    expect(result.status).toBe("succeeded");
    expect(result.raw).toBe("");
  });
});

describe("levelup adapter: errors", () => {
  it("404 with an empty body -> not_found", async () => {
    answer(() => new HttpResponse(null, { status: 404 }));
    const error = await refundError({ orderId: ORDER });
    expect(error).toMatchObject({ code: "not_found", status: 404, retryable: false, raw: "" });
  });

  it('422 property "base" (the documented body) -> already_refunded, raw untouched', async () => {
    const body = example("RefundOrder.422.already-refunded.json");
    answer(() => HttpResponse.json(body, { status: 422 }));
    const error = await refundError({ orderId: ORDER });
    expect(error).toMatchObject({ code: "already_refunded", status: 422, retryable: false });
    expect(error.raw).toEqual(body);
    expect(error.message).toContain("Perhaps this order has already been refunded");
  });

  it('422 property "manager_confirmation" (the documented body) -> invalid_request', async () => {
    const body = example("RefundOrder.422.manager-confirmation.json");
    answer(() => HttpResponse.json(body, { status: 422 }));
    const error = await refundError({ orderId: ORDER, managerConfirmation: "1" });
    expect(error).toMatchObject({ code: "invalid_request", status: 422, retryable: false });
    expect(error.raw).toEqual(body);
  });

  it("401 -> authentication_failed; 429 -> rate_limited (retryable)", async () => {
    answer(() => HttpResponse.json({}, { status: 401 }));
    expect(await refundError({ orderId: ORDER })).toMatchObject({
      code: "authentication_failed",
      retryable: false,
    });
    answer(() => HttpResponse.json({}, { status: 429 }));
    expect(await refundError({ orderId: ORDER })).toMatchObject({
      code: "rate_limited",
      retryable: true,
    });
  });

  it("does not retry a 500 (no idempotency handle): one call, not retryable", async () => {
    answer(() => HttpResponse.text("boom", { status: 500 }));
    const error = await refundError({ orderId: ORDER });
    expect(error).toMatchObject({ code: "provider_error", status: 500, retryable: false });
    expect(error.raw).toBe("boom");
    expect(endpoint.calls).toBe(1);
  });

  it("does not resend after a network error: network_error, not retryable", async () => {
    answer(() => HttpResponse.error());
    const error = await refundError({ orderId: ORDER });
    expect(error).toMatchObject({ code: "network_error", status: null, retryable: false });
    expect(endpoint.calls).toBe(1);
  });
});

describe("levelup adapter: no answer", () => {
  it("a timeout after sending is not retried: timeout, not retryable, one call", async () => {
    answer(async () => {
      await delay("infinite");
      return HttpResponse.json({});
    });
    const quick = levelupAdapter.connect(
      { environment: "sandbox", token: "tok" },
      { timeoutMs: 50, maxRetries: 3 },
    );
    const error = await quick.refund({ orderId: ORDER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({ code: "timeout", status: null, retryable: false });
    expect(endpoint.calls).toBe(1);
  });

  it("an aborted signal rejects with the caller's reason and sends nothing", async () => {
    answer(() => HttpResponse.json({}));
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    await expect(adapter.refund({ orderId: ORDER, signal: controller.signal })).rejects.toThrow(
      "caller gave up",
    );
    expect(endpoint.calls).toBe(0);
  });
});

describe("levelup adapter: bad input sends nothing", () => {
  const cases: BadInputRow<LevelUpRefundRequest>[] = [
    [
      "an amount (full refunds only)",
      { orderId: ORDER, amount: 100, currency: "USD" },
      "unsupported",
    ],
    ["a path-changing orderId", { orderId: "../admin" }, "invalid_request"],
    ["an orderId with a slash", { orderId: "a/b" }, "invalid_request"],
    ["an empty orderId", { orderId: "" }, "invalid_request"],
    ["a lower-case currency", { orderId: ORDER, currency: "usd" }, "invalid_request"],
    ["a bad idempotencyKey", { orderId: ORDER, idempotencyKey: "has space" }, "invalid_request"],
    [
      "an empty managerConfirmation",
      { orderId: ORDER, managerConfirmation: "" },
      "invalid_request",
    ],
    [
      "a managerConfirmation with a control character",
      { orderId: ORDER, managerConfirmation: "1\u0000" },
      "invalid_request",
    ],
  ];
  badInputCases(server, {
    name: "refuses %s",
    refund: (request) => adapter.refund(request),
    type: RefundError,
    rows: cases,
  });
});

describe("levelup capabilities", () => {
  it("are the documented ones", () => {
    expect(levelupCapabilities).toEqual({
      partialRefunds: false,
      fullRefundWithoutAmount: true,
      idempotency: "none",
      pendingResults: false,
      lineItems: false,
    });
    expect(adapter.capabilities).toBe(levelupCapabilities);
    expect(levelupAdapter.provider).toBe("levelup");
  });
});
