import { RefundError } from "@refundkit/core";
import {
  type BadInputRow,
  badInputCases,
  rejectionOf,
  specExample,
  useMswServer,
} from "@refundkit/test-utils";
import { delay, HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { type MoyasarRefundRequest, moyasarAdapter, moyasarCapabilities } from "../src/index.js";

const BASE = "https://pg.mysr.dev";
const ORDER = "0191f5a7-44d3-7430-8739-2d80821416bf";
/** The refund transaction's id in the documented 200 example. */
const DOC_REFUND_TX = "f351a2a3-97c4-4f12-add3-80c1044091f5";
const example = (name: string) => specExample("moyasar", name);

const server = useMswServer();
let bodies: string[] = [];
afterEach(() => {
  bodies = [];
});

function answer(...responses: (() => Response)[]) {
  server.use(
    http.post(`${BASE}/v1/orders/:id/refund`, async ({ request }) => {
      bodies.push(await request.text());
      const make = responses[Math.min(bodies.length, responses.length) - 1];
      if (make === undefined) throw new Error("no response configured");
      return make();
    }),
  );
}

const adapter = moyasarAdapter.connect(
  { environment: "sandbox", apiKey: "k" },
  { maxRetries: 2, timeoutMs: 2000 },
);
const base = { orderId: ORDER, amount: 262346, currency: "SAR" } as const;

/** The RefundError the adapter rejects `request` with (fails when it resolves). */
const refundError = (request: MoyasarRefundRequest) =>
  rejectionOf(adapter.refund(request), RefundError);

describe("moyasar adapter: success", () => {
  it("maps the documented 200: the refund transaction named by transaction_id", async () => {
    const body = example("RefundOrder.200.json");
    answer(() => HttpResponse.json(body));
    const result = await adapter.refund({ ...base, transactionId: DOC_REFUND_TX });
    expect(result).toEqual({
      provider: "moyasar",
      orderId: ORDER,
      status: "succeeded",
      refundId: DOC_REFUND_TX,
      amount: 262346,
      currency: "SAR",
      idempotencyKey: DOC_REFUND_TX,
      raw: body,
    });
  });

  it("falls back to the newest refund transaction when none has our id", async () => {
    answer(() =>
      HttpResponse.json({
        currency: "SAR",
        transactions: [
          {
            id: "c1",
            type: "capture",
            status: "approved",
            amount: 900,
            created_at: "2024-09-15T12:00:00Z",
          },
          {
            id: "r2",
            type: "refund",
            status: "pending",
            amount: 300,
            created_at: "2024-09-15T12:02:00Z",
          },
          {
            id: "r1",
            type: "refund",
            status: "approved",
            amount: 200,
            created_at: "2024-09-15T12:01:00Z",
          },
        ],
      }),
    );
    const result = await adapter.refund({ ...base, amount: 300, idempotencyKey: "key-1" });
    expect(result).toMatchObject({ refundId: "r2", amount: 300, status: "pending" });
    expect(result.idempotencyKey).toBe("key-1");
  });

  it("treats a 2xx with malformed JSON as a done refund: raw = text, refundId = the handle", async () => {
    answer(() => new HttpResponse("{not json", { status: 200 }));
    const result = await adapter.refund({ ...base, transactionId: "t-9" });
    expect(result).toMatchObject({
      status: "succeeded",
      refundId: "t-9",
      idempotencyKey: "t-9",
      amount: 262346,
      currency: "SAR",
      raw: "{not json",
    });
  });
});

describe("moyasar adapter: errors", () => {
  it('400 "Initial request is still processing." (documented) on every attempt -> in_progress, retryable', async () => {
    const body = example("RefundOrder.400.json");
    answer(() => HttpResponse.json(body, { status: 400 }));
    const error = await refundError(base);
    expect(error).toMatchObject({ code: "in_progress", status: 400, retryable: true });
    expect(error.raw).toEqual(body);
    // Asked again (maxRetries: 2) with the same transaction_id each time, then given up.
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
  }, 20_000);

  it('400 "Initial request is still processing." then the first answer -> success, no second refund', async () => {
    answer(
      () => HttpResponse.json(example("RefundOrder.400.json"), { status: 400 }),
      () => HttpResponse.json(example("RefundOrder.200.json")),
    );
    const result = await adapter.refund({
      ...base,
      transactionId: "f351a2a3-97c4-4f12-add3-80c1044091f5",
    });
    expect(result).toMatchObject({
      status: "succeeded",
      refundId: "f351a2a3-97c4-4f12-add3-80c1044091f5",
    });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
  }, 20_000);

  it("400 other -> invalid_request", async () => {
    answer(() => HttpResponse.json({ message: "Order is not captured" }, { status: 400 }));
    expect(await refundError(base)).toMatchObject({ code: "invalid_request", retryable: false });
  });

  it("401 (documented) -> authentication_failed", async () => {
    const body = example("RefundOrder.401.json");
    answer(() => HttpResponse.json(body, { status: 401 }));
    const error = await refundError(base);
    expect(error).toMatchObject({ code: "authentication_failed", status: 401, retryable: false });
    expect(error.raw).toEqual(body);
  });

  it('403 (documented "returns forbidden", body {message: "Unauthorized"}) -> permission_denied, whatever the message', async () => {
    const body = example("RefundOrder.403.json");
    answer(() => HttpResponse.json(body, { status: 403 }));
    const error = await refundError(base);
    expect(error).toMatchObject({ code: "permission_denied", status: 403, retryable: false });
    expect(error.raw).toEqual(body);
    answer(() => HttpResponse.json({ message: "Refunds are disabled" }, { status: 403 }));
    expect(await refundError(base)).toMatchObject({ code: "permission_denied", status: 403 });
  });

  it("404 -> not_found", async () => {
    answer(() => HttpResponse.json({ message: "Not found" }, { status: 404 }));
    expect(await refundError(base)).toMatchObject({ code: "not_found", status: 404 });
  });

  it("422 over the refundable amount (the mock's body) -> amount_exceeds_refundable", async () => {
    const body = {
      message: "Data validation failed",
      errors: {
        amount: ["The amount must be less than or equal to the refundable amount (100)."],
      },
    };
    answer(() => HttpResponse.json(body, { status: 422 }));
    const error = await refundError(base);
    expect(error).toMatchObject({ code: "amount_exceeds_refundable", status: 422 });
    expect(error.raw).toEqual(body);
  });

  it("422 documented minimum-amount body -> invalid_request (not an over-refund)", async () => {
    const body = example("RefundOrder.422.json");
    answer(() => HttpResponse.json(body, { status: 422 }));
    const error = await refundError(base);
    expect(error).toMatchObject({ code: "invalid_request", status: 422, retryable: false });
    expect(error.raw).toEqual(body);
  });

  it("retries a 500 with the same transaction_id, then maps the answer", async () => {
    answer(
      () => HttpResponse.text("upstream", { status: 500 }),
      () => HttpResponse.json(example("RefundOrder.200.json")),
    );
    const result = await adapter.refund({ ...base, transactionId: DOC_REFUND_TX });
    expect(result.status).toBe("succeeded");
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
    expect(JSON.parse(bodies[0] ?? "")).toEqual({ amount: 262346, transaction_id: DOC_REFUND_TX });
  }, 20_000);

  it("a generated transaction_id is the same on every attempt; exhausted 5xx is retryable", async () => {
    answer(() => HttpResponse.text("down", { status: 503 }));
    const error = await refundError(base);
    expect(error).toMatchObject({
      code: "provider_error",
      status: 503,
      retryable: true,
      raw: "down",
    });
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
  }, 20_000);

  it("429 -> rate_limited (retryable)", async () => {
    answer(() =>
      HttpResponse.json(
        { message: "slow down" },
        { status: 429, headers: { "retry-after": "3600" } },
      ),
    );
    expect(await refundError(base)).toMatchObject({ code: "rate_limited", retryable: true });
  });
});

describe("moyasar adapter: no answer", () => {
  it("retries a timeout with the same transaction_id, then reports timeout (retryable)", async () => {
    server.use(
      http.post(`${BASE}/v1/orders/:id/refund`, async ({ request }) => {
        bodies.push(await request.text());
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const quick = moyasarAdapter.connect(
      { environment: "sandbox", apiKey: "k" },
      { timeoutMs: 50, maxRetries: 1 },
    );
    const error = await quick.refund(base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({ code: "timeout", status: null, retryable: true });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
  }, 20_000);
});

describe("moyasar adapter: bad input sends nothing", () => {
  const cases: BadInputRow<MoyasarRefundRequest>[] = [
    ["a missing amount", { orderId: ORDER, currency: "SAR" }, "unsupported"],
    ["a zero amount", { ...base, amount: 0 }, "invalid_request"],
    ["a fractional amount", { ...base, amount: 10.5 }, "invalid_request"],
    ["a missing currency", { orderId: ORDER, amount: 100 }, "invalid_request"],
    ["a path-changing orderId", { ...base, orderId: ".." }, "invalid_request"],
    ["an orderId with a query", { ...base, orderId: "a?b=c" }, "invalid_request"],
    ["a bad transactionId", { ...base, transactionId: "a b" }, "invalid_request"],
    ["a bad idempotencyKey", { ...base, idempotencyKey: "é" }, "invalid_request"],
    [
      "different transactionId and idempotencyKey",
      { ...base, transactionId: "t-1", idempotencyKey: "t-2" },
      "invalid_request",
    ],
  ];
  badInputCases(server, {
    name: "refuses %s",
    refund: (request) => adapter.refund(request),
    type: RefundError,
    rows: cases,
  });

  it("accepts the same transactionId and idempotencyKey", async () => {
    answer(() => HttpResponse.json({ currency: "SAR", transactions: [] }));
    const result = await adapter.refund({ ...base, transactionId: "t-1", idempotencyKey: "t-1" });
    expect(result.idempotencyKey).toBe("t-1");
  });
});

describe("moyasar capabilities", () => {
  it("are the documented ones", () => {
    expect(moyasarCapabilities).toEqual({
      partialRefunds: true,
      fullRefundWithoutAmount: false,
      idempotency: "body",
      pendingResults: false,
      lineItems: false,
    });
    expect(adapter.capabilities).toBe(moyasarCapabilities);
  });
});
