/**
 * Issue 13: the mock answers a handle reused for another refund the way a provider that checks
 * its keys does (a 4xx in its own error shape, nothing applied), keeps handles per merchant, and
 * injects the "in progress", non-JSON 2xx and token-endpoint faults the fault suite needs.
 */
import { describe, expect, it } from "vitest";
import { briqpayAmount, SESSION } from "./helpers.js";
import { useMock } from "./setup.js";

const { mock, client } = useMock();

const opttyBody = (ref: string, amount: number) => ({
  refundReference: ref,
  refundAmount: { amount, currency: "AUD" },
  refundDescription: "x",
});

describe("a handle reused with other parameters", () => {
  it("Sezzle: same Sezzle-Request-Id for another amount is a 400 in Sezzle's array shape", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s1", amount: 5000, currency: "USD" });
    const first = await client.sezzleRefund(
      "s1",
      { amount_in_cents: 1000, currency: "USD" },
      { requestId: "rk-7" },
    );
    expect(first.status).toBe(200);
    const second = await client.sezzleRefund(
      "s1",
      { amount_in_cents: 4000, currency: "USD" },
      { requestId: "rk-7" },
    );
    expect(second.status).toBe(400);
    expect(second.body).toEqual([{ code: "bad_request", message: expect.any(String) }]);
    expect(mock.orders.get("sezzle", "s1")?.refundedAmount).toBe(1000);
    expect(mock.orders.get("sezzle", "s1")?.refunds).toHaveLength(1);
  });

  it("Sezzle: same Sezzle-Request-Id for another order is refused, not replayed", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s1", amount: 5000, currency: "USD" });
    mock.orders.seed({ provider: "sezzle", id: "s2", amount: 5000, currency: "USD" });
    const body = { amount_in_cents: 1000, currency: "USD" };
    expect((await client.sezzleRefund("s1", body, { requestId: "k" })).status).toBe(200);
    const other = await client.sezzleRefund("s2", body, { requestId: "k" });
    expect(other.status).toBe(400);
    expect(mock.orders.get("sezzle", "s2")?.refunds).toHaveLength(0);
    // The same request again is still replayed.
    expect((await client.sezzleRefund("s1", body, { requestId: "k" })).status).toBe(200);
    expect(mock.orders.get("sezzle", "s1")?.refunds).toHaveLength(1);
  });

  it("Optty: a refundReference used for another order is a 400 {statusCode, message, error}", async () => {
    mock.orders.seed({ provider: "optty", id: "o1", amount: 5000, currency: "AUD" });
    mock.orders.seed({ provider: "optty", id: "o2", amount: 5000, currency: "AUD" });
    expect((await client.opttyRefund("o1", opttyBody("ref-1", 10))).status).toBe(201);
    const other = await client.opttyRefund("o2", opttyBody("ref-1", 10));
    expect(other).toMatchObject({
      status: 400,
      body: { statusCode: 400, error: "Bad Request", message: expect.any(String) },
    });
    const otherAmount = await client.opttyRefund("o1", opttyBody("ref-1", 20));
    expect(otherAmount.status).toBe(400);
    expect(mock.orders.get("optty", "o1")?.refundedAmount).toBe(1000);
    expect(mock.orders.get("optty", "o2")?.refunds).toHaveLength(0);
  });

  it("MPG: a transaction_id used for another amount is a 400 {message}", async () => {
    mock.orders.seed({ provider: "moyasar", id: "m1", amount: 5000, currency: "SAR" });
    expect((await client.moyasarRefund("m1", { amount: 100, transaction_id: "t-1" })).status).toBe(
      200,
    );
    const again = await client.moyasarRefund("m1", { amount: 300, transaction_id: "t-1" });
    expect(again).toMatchObject({ status: 400, body: { message: expect.any(String) } });
    expect(mock.orders.get("moyasar", "m1")?.refundedAmount).toBe(100);
  });

  it("a refused request does not keep its handle: the same handle may then be used anew", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s1", amount: 1000, currency: "USD" });
    const over = await client.sezzleRefund(
      "s1",
      { amount_in_cents: 5000, currency: "USD" },
      { requestId: "k2" },
    );
    expect(over.status).toBe(422);
    const fits = await client.sezzleRefund(
      "s1",
      { amount_in_cents: 500, currency: "USD" },
      { requestId: "k2" },
    );
    expect(fits.status).toBe(200);
  });
});

describe("faults for the fault suite", () => {
  it("in_progress: each provider's own answer, nothing applied, the next request goes through", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s1", amount: 5000, currency: "USD" });
    mock.orders.seed({ provider: "optty", id: "o1", amount: 5000, currency: "AUD" });
    mock.orders.seed({ provider: "moyasar", id: "m1", amount: 5000, currency: "SAR" });
    mock.orders.seed({ provider: "levelup", id: "l1", amount: 5000 });
    mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 5000, currency: "SEK" });
    for (const provider of ["sezzle", "optty", "moyasar", "levelup", "briqpay"] as const) {
      mock.faults.inject({ provider, kind: "in_progress" });
    }
    const sezzle = await client.sezzleRefund(
      "s1",
      { amount_in_cents: 100, currency: "USD" },
      { requestId: "a" },
    );
    expect(sezzle).toMatchObject({ status: 409, body: [{ code: "conflict" }] });
    const optty = await client.opttyRefund("o1", opttyBody("a", 1));
    expect(optty).toMatchObject({ status: 409, body: { statusCode: 409, error: "Conflict" } });
    const mpg = await client.moyasarRefund("m1", { amount: 100, transaction_id: "a" });
    expect(mpg).toMatchObject({
      status: 400,
      body: { message: "Initial request is still processing." },
    });
    expect((await client.levelupRefund("l1")).status).toBe(409);
    const briqpay = await client.briqpayRefund(SESSION, briqpayAmount(100));
    expect(briqpay).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });
    for (const order of mock.orders.list()) expect(order.refunds).toHaveLength(0);
    expect(
      (
        await client.sezzleRefund(
          "s1",
          { amount_in_cents: 100, currency: "USD" },
          { requestId: "a" },
        )
      ).status,
    ).toBe(200);
  });

  it("invalid_body: the refund is applied and the 2xx carries an HTML page", async () => {
    mock.orders.seed({ provider: "moyasar", id: "m1", amount: 5000, currency: "SAR" });
    mock.faults.inject({ provider: "moyasar", kind: "invalid_body" });
    const result = await client.moyasarRefund("m1", { amount: 100, transaction_id: "b" });
    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toMatch(/text\/html/);
    expect(mock.orders.get("moyasar", "m1")?.refundedAmount).toBe(100);
  });

  it("token endpoint faults: Sezzle 503 and refused keys, Optty 500, then tokens again", async () => {
    mock.faults.inject({ provider: "sezzle", kind: "http_503", endpoint: "token" });
    mock.faults.inject({ provider: "sezzle", kind: "expired_token", endpoint: "token" });
    mock.faults.inject({ provider: "optty", kind: "http_500", endpoint: "token" });
    expect((await client.sezzleAuth()).status).toBe(503);
    expect(await client.sezzleAuth()).toMatchObject({
      status: 401,
      body: [{ code: "unauthorized" }],
    });
    expect((await client.sezzleAuth()).status).toBe(200);
    expect(await client.opttyAuth()).toMatchObject({ status: 500, body: { statusCode: 500 } });
    expect((await client.opttyAuth()).status).toBe(200);
  });

  it("token faults do not hit refunds, refund faults do not hit tokens", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s1", amount: 5000, currency: "USD" });
    mock.faults.inject({ provider: "sezzle", kind: "http_500" });
    expect((await client.sezzleAuth()).status).toBe(200);
    mock.faults.clear();
    mock.faults.inject({ provider: "sezzle", kind: "http_500", endpoint: "token" });
    const token = await client.sezzleAuth();
    expect(token.status).toBe(500);
  });

  it("refuses token faults for providers without a token endpoint, and in_progress for tokens", () => {
    expect(() =>
      mock.faults.inject({ provider: "levelup", kind: "http_500", endpoint: "token" }),
    ).toThrow(TypeError);
    expect(() =>
      mock.faults.inject({ provider: "sezzle", kind: "in_progress", endpoint: "token" }),
    ).toThrow(TypeError);
  });
});
