import { type CapturedRequest, captureRequests, useMswServer } from "@refundkit/test-utils";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createMoyasarClient, moyasarAdapter } from "../src/index.js";

const BASE = "https://pg.mysr.dev";
const ORDER = "0191f5a7-44d3-7430-8739-2d80821416bf";
const server = useMswServer();

/** Records every request to the MPG host, answering `status` with an empty order. */
const record = (status = 200): CapturedRequest[] =>
  captureRequests(server, `${BASE}/*`, () =>
    HttpResponse.json({ currency: "SAR", transactions: [] }, { status }),
  );

describe("moyasar refund wire", () => {
  const adapter = moyasarAdapter.connect({ environment: "sandbox", apiKey: "k1" });

  it("POSTs {amount, transaction_id} with exactly the documented headers", async () => {
    const seen = record();
    await adapter.refund({
      orderId: ORDER,
      amount: 2500,
      currency: "SAR",
      transactionId: "f351a2a3-97c4-4f12-add3-80c1044091f5",
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe(`${BASE}/v1/orders/${ORDER}/refund`);
    expect(seen[0]?.body).toBe(
      '{"amount":2500,"transaction_id":"f351a2a3-97c4-4f12-add3-80c1044091f5"}',
    );
    expect(seen[0]?.headers).toEqual({
      accept: "application/json",
      authorization: "Bearer k1",
      "content-type": "application/json",
    });
  });

  it("sends the idempotencyKey as transaction_id, else a fresh UUID", async () => {
    const seen = record();
    await adapter.refund({ orderId: ORDER, amount: 1, currency: "SAR", idempotencyKey: "key-7" });
    await adapter.refund({ orderId: ORDER, amount: 1, currency: "SAR" });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ amount: 1, transaction_id: "key-7" });
    expect(JSON.parse(seen[1]?.body ?? "").transaction_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("the client alone retries a 500 only when the body carries transaction_id", async () => {
    const seen = record(500);
    const client = createMoyasarClient({ environment: "sandbox", apiKey: "k1", maxRetries: 2 });
    await client.POST("/v1/orders/{id}/refund", {
      params: { path: { id: ORDER } },
      body: { amount: 5 },
    });
    expect(seen).toHaveLength(1);
    await client.POST("/v1/orders/{id}/refund", {
      params: { path: { id: ORDER } },
      body: { amount: 5, transaction_id: "t-1" },
    });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.slice(1).map((s) => s.body))).toEqual(
      new Set(['{"amount":5,"transaction_id":"t-1"}']),
    );
  }, 20_000);
});
