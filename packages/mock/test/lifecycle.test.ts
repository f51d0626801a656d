import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { briqpayAmount, SESSION, validators } from "./helpers.js";
import { useMock } from "./setup.js";

const { mock, client } = useMock();
afterEach(() => mock.webhooks.reset());

function hexHmac(key: string, body: string): string {
  return createHmac("sha256", key).update(body).digest("hex");
}

describe("lookups answer from the ledger", () => {
  it("Briqpay lists a pending refund as pending until it settles", async () => {
    mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
    const refund = await client.briqpayRefund(SESSION, briqpayAmount(1000));
    const refundId = (refund.body as { refundId: string }).refundId;
    const before = await client.briqpaySession(SESSION);
    expect(before.body).toMatchObject({
      data: { refunds: [{ refundId, status: "pending", amountIncVat: 1000, currency: "SEK" }] },
    });
    mock.orders.settle("briqpay", SESSION, refundId, "rejected");
    const after = await client.briqpaySession(SESSION);
    expect(after.body).toMatchObject({ data: { refunds: [{ refundId, status: "rejected" }] } });
  });

  it("Sezzle lists each refund with the uuid the refund call answered", async () => {
    mock.orders.seed({ provider: "sezzle", id: "sz-l", amount: 5000, currency: "USD" });
    const first = await client.sezzleRefund("sz-l", { amount_in_cents: 1000, currency: "USD" });
    const second = await client.sezzleRefund("sz-l", { amount_in_cents: 250, currency: "USD" });
    const order = await client.sezzleOrder("sz-l");
    const refunds = (order.body as { authorization: { refunds: unknown[] } }).authorization.refunds;
    expect(refunds).toEqual([
      {
        uuid: (first.body as { uuid: string }).uuid,
        amount: { amount_in_cents: 1000, currency: "USD" },
      },
      {
        uuid: (second.body as { uuid: string }).uuid,
        amount: { amount_in_cents: 250, currency: "USD" },
      },
    ]);
  });

  it("Optty lists a pending refund as PENDING with its decimal amount", async () => {
    mock.orders.seed({
      provider: "optty",
      id: "op-l",
      amount: 2498,
      currency: "AUD",
      pendingRefunds: true,
    });
    const refund = await client.opttyRefund("op-l", {
      refundReference: "r-l",
      refundAmount: { amount: 12.5, currency: "AUD" },
      refundDescription: "Refund",
    });
    const id = (refund.body as { bnplRefundId: string }).bnplRefundId;
    const details = await client.opttyDetails("op-l");
    expect(details.body).toMatchObject({
      refunds: [{ refundId: id, amount: "12.50", currency: "AUD", status: "PENDING" }],
    });
  });

  it("LevelUp: an order seeded without a merchant is found under any merchant id", async () => {
    mock.orders.seed({ provider: "levelup", id: "lu-any", amount: 700 });
    const before = await client.levelupOrder(99, "lu-any");
    expect(before.body).toMatchObject({ order: { uuid: "lu-any", refunded_at: null } });
    await client.levelupRefund("lu-any");
    const after = await client.levelupOrder(12345, "lu-any");
    expect((after.body as { order: { refunded_at: string } }).order.refunded_at).toMatch(/^\d{4}-/);
    expect(after.body).toMatchObject({ order: { total_amount: 700 } });
  });
});

describe("webhooks, in process", () => {
  it("Sezzle: an order.refunded envelope signed with the merchant private key", async () => {
    mock.orders.seed({ provider: "sezzle", id: "sz-w", amount: 5000, currency: "USD" });
    await client.sezzleRefund("sz-w", { amount_in_cents: 1000, currency: "USD" });
    const [event, ...rest] = mock.webhooks.events();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ provider: "sezzle", type: "order.refunded", orderId: "sz-w" });
    const body = JSON.parse(event?.body ?? "");
    expect(validators.sezzle.validateRequestBody("OrderRefundedWebhook", body)).toEqual({
      valid: true,
    });
    expect(event?.headers["sezzle-signature"]).toBe(
      hexHmac(mock.credentials.sezzle.privateKey, event?.body ?? ""),
    );
  });

  it("Briqpay: refund_status when the refund is created and when it settles", async () => {
    mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
    const refund = await client.briqpayRefund(SESSION, briqpayAmount(1000));
    const refundId = (refund.body as { refundId: string }).refundId;
    mock.orders.settle("briqpay", SESSION, refundId);
    const bodies = mock.webhooks.events().map((event) => JSON.parse(event.body));
    expect(bodies).toEqual([
      { event: "refund_status", status: "pending", sessionId: SESSION, refundId },
      { event: "refund_status", status: "approved", sessionId: SESSION, refundId },
    ]);
    for (const body of bodies) {
      expect(validators.briqpay.validateRequestBody("RefundStatusHook", body)).toEqual({
        valid: true,
      });
    }
  });

  it("faults: a forged Sezzle delivery is signed with another key; a duplicated one comes twice", async () => {
    mock.orders.seed({ provider: "sezzle", id: "sz-f", amount: 5000, currency: "USD" });
    mock.webhooks.inject({ provider: "sezzle", kind: "forged" });
    mock.webhooks.inject({ provider: "sezzle", kind: "duplicated" });
    await client.sezzleRefund("sz-f", { amount_in_cents: 100, currency: "USD" });
    await client.sezzleRefund("sz-f", { amount_in_cents: 200, currency: "USD" });
    const [forged, dup1, dup2] = mock.webhooks.events();
    expect(forged?.fault).toBe("forged");
    expect(forged?.headers["sezzle-signature"]).not.toBe(
      hexHmac(mock.credentials.sezzle.privateKey, forged?.body ?? ""),
    );
    expect(dup1?.fault).toBe("duplicated");
    expect(dup2).toEqual(dup1);
  });

  it("Optty, LevelUp and MPG emit nothing (no documented refund webhook)", async () => {
    mock.orders.seed({ provider: "levelup", id: "lu-w", amount: 700 });
    await client.levelupRefund("lu-w");
    expect(mock.webhooks.events()).toEqual([]);
  });
});
