import { describe, expect, it } from "vitest";
import { briqpayAmount, expectValid, SESSION } from "./helpers.js";
import { useMock } from "./setup.js";

let now = Date.parse("2026-01-01T00:00:00Z");
const { mock, client } = useMock({ clock: () => now });

describe("validation: bad requests get each provider's own error shape", () => {
  it("Sezzle: bad body 400 array, wrong token 401 array", async () => {
    mock.orders.seed({ provider: "sezzle", id: "o1", amount: 100, currency: "USD" });
    const bad = await client.sezzleRefund("o1", { amount_in_cents: 10 });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([
      { code: "bad_request", message: expect.stringContaining("currency") },
    ]);
    const malformed = await client.sezzleRefund("o1", null, { raw: "{not json" });
    expect(malformed.status).toBe(400);
    const auth = await client.sezzleRefund(
      "o1",
      { amount_in_cents: 10, currency: "USD" },
      { token: "x" },
    );
    expect(auth).toMatchObject({
      status: 401,
      body: [{ code: "unauthorized", message: "authorization not accepted" }],
    });
    expect(mock.orders.get("sezzle", "o1")?.refunds).toEqual([]);
  });

  it("Optty: malformed JSON and bad amount answer {statusCode, message, error}", async () => {
    mock.orders.seed({ provider: "optty", id: "o1", amount: 2498, currency: "AUD" });
    const malformed = await client.opttyRefund("o1", null, { raw: '{"refundReference": a}' });
    expect(malformed.body).toMatchObject({ statusCode: 400, error: "Bad Request" });
    const precision = await client.opttyRefund("o1", {
      refundReference: "p",
      refundAmount: { amount: 1.005, currency: "AUD" },
      refundDescription: "x",
    });
    expect(precision.status).toBe(400);
    const currency = await client.opttyRefund("o1", {
      refundReference: "c",
      refundAmount: { amount: 1, currency: "USD" },
      refundDescription: "x",
    });
    expect(currency).toMatchObject({ status: 400, body: { statusCode: 400 } });
    const missing = await client.opttyRefund("o1", {
      refundReference: "m",
      refundDescription: "x",
    });
    expect(missing.status).toBe(400);
  });

  it("LevelUp: wrong scheme refused, 404 has an empty body", async () => {
    mock.orders.seed({ provider: "levelup", id: "lu", amount: 500 });
    const bearer = await client.levelupRefund("lu", undefined, {
      authorization: `Bearer ${mock.credentials.levelup.token}`,
    });
    expect(bearer.status).toBe(401);
    const missing = await client.levelupRefund("other");
    expect(missing).toMatchObject({ status: 404, text: "" });
  });

  it("MPG: 401 without a Bearer header or for an unknown key, 403 for a publishable key, 422 {message, errors}", async () => {
    mock.orders.seed({ provider: "moyasar", id: "m", amount: 1000, currency: "SAR" });
    const basic = await client.moyasarRefund("m", { amount: 1 }, { authorization: "Basic abc" });
    expect(basic.body).toEqual({ message: "Missing authentication information" });
    const wrong = await client.moyasarRefund("m", { amount: 1 }, { authorization: "Bearer nope" });
    expect(wrong).toMatchObject({
      status: 401,
      body: { message: "Invalid authorization credentials" },
    });
    const publishable = await client.moyasarRefund(
      "m",
      { amount: 1 },
      { authorization: "Bearer pk_test_publishable" },
    );
    expect(publishable).toMatchObject({ status: 403, body: { message: "Unauthorized" } });
    const invalid = await client.moyasarRefund("m", { amount: 0 });
    expect(invalid.body).toEqual({
      message: "Data validation failed",
      errors: { amount: ["The value must be greater than or equal to 1."] },
    });
  });

  it("Briqpay: bad credentials 403, bad session id / body / totals 400 INVALID_DATA", async () => {
    mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
    const creds = await client.briqpayRefund(SESSION, briqpayAmount(1), {
      authorization: "Basic !!",
    });
    expect(creds.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
    const path = await client.briqpayRefund("not-a-uuid", briqpayAmount(1));
    expect(path).toMatchObject({ status: 400, body: { error: { code: "INVALID_DATA" } } });
    const body = briqpayAmount(100);
    body.data.order.amountIncVat = 125;
    const totals = await client.briqpayRefund(SESSION, body);
    expect(totals).toMatchObject({ status: 400, body: { error: { code: "INVALID_DATA" } } });
    const emptyCart = await client.briqpayRefund(SESSION, {
      data: { order: { amountIncVat: 1, amountExVat: 1, currency: "SEK", cart: [] } },
    });
    expect(emptyCart.status).toBe(400);
    expectValid("briqpay", "RefundOrder", emptyCart);
  });

  it("refuses to seed an id the spec would not route (Briqpay session ids are UUIDs)", () => {
    expect(() =>
      mock.orders.seed({ provider: "briqpay", id: "abc", amount: 1, currency: "SEK" }),
    ).toThrow(TypeError);
    expect(() =>
      mock.orders.seed({ provider: "sezzle", id: "x", amount: 1.5, currency: "USD" }),
    ).toThrow(TypeError);
  });
});

describe("ledger rules per provider", () => {
  it("Sezzle: partial refunds add up to the captured amount, then 422", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s", amount: 5000, currency: "USD" });
    expect(
      (await client.sezzleRefund("s", { amount_in_cents: 3000, currency: "USD" })).status,
    ).toBe(200);
    expect(
      (await client.sezzleRefund("s", { amount_in_cents: 2000, currency: "USD" })).status,
    ).toBe(200);
    const over = await client.sezzleRefund("s", { amount_in_cents: 1, currency: "USD" });
    expect(over.body).toEqual([
      { code: "invalid", message: "refund amount exceeds the remaining captured amount" },
    ]);
    const currency = await client.sezzleRefund("s", { amount_in_cents: 1, currency: "EUR" });
    expect(currency.body).toEqual([
      { code: "invalid", message: "currency does not match the order" },
    ]);
    const order = mock.orders.get("sezzle", "s");
    expect(order).toMatchObject({ refundedAmount: 5000, refundableAmount: 0 });
    expect(order?.refunds.map((refund) => refund.amount)).toEqual([3000, 2000]);
  });

  it("Optty: decimal major units, cumulative limit with the remaining amount in the message", async () => {
    mock.orders.seed({ provider: "optty", id: "o", amount: 4998, currency: "AUD" });
    const first = await client.opttyRefund("o", {
      refundReference: "a",
      refundAmount: { amount: 25, currency: "AUD" },
      refundDescription: "x",
    });
    expect(first).toMatchObject({
      status: 201,
      body: { refundedAmount: 25, refundStatus: "SUCCESSFUL", refundReference: "a" },
    });
    const over = await client.opttyRefund("o", {
      refundReference: "b",
      refundAmount: { amount: 25, currency: "AUD" },
      refundDescription: "x",
    });
    expect(over.body).toEqual({
      statusCode: 400,
      message: "You can only refund amount up to AUD 24.98",
      error: "Bad Request",
    });
    expect(mock.orders.get("optty", "o")?.refunds.map((refund) => refund.amount)).toEqual([2500]);
  });

  it("LevelUp: full refund only; a second refund is 422 base; manager confirmation checked", async () => {
    mock.orders.seed({
      provider: "levelup",
      id: "l",
      amount: 1250,
      tipAmount: 250,
      managerConfirmation: "87168",
    });
    const wrong = await client.levelupRefund("l", { refund: {} });
    expect(wrong.body).toEqual([
      {
        error: {
          object: "refund",
          property: "manager_confirmation",
          message: "Manager confirmation was incorrect.",
        },
      },
    ]);
    const ok = await client.levelupRefund("l", { refund: { manager_confirmation: "87168" } });
    expect(ok).toMatchObject({
      status: 200,
      body: { order: { uuid: "l", total_amount: 1250, tip_amount: 250, spend_amount: 1000 } },
    });
    expect((ok.body as { order: { refunded_at: string | null } }).order.refunded_at).not.toBeNull();
    const again = await client.levelupRefund("l", { refund: { manager_confirmation: "87168" } });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject([{ error: { object: "order", property: "base" } }]);
    expect(mock.orders.get("levelup", "l")?.refunds).toHaveLength(1);
  });

  it("MPG: each refund is a refund transaction; over-refund names the refundable amount", async () => {
    mock.orders.seed({ provider: "moyasar", id: "m", amount: 1000, currency: "SAR" });
    const tx = crypto.randomUUID();
    const first = await client.moyasarRefund("m", { amount: 400, transaction_id: tx });
    const order = first.body as {
      refunded_amount: number;
      transactions: Array<{ id: string; type: string; amount: number }>;
    };
    expect(order.refunded_amount).toBe(400);
    expect(order.transactions.filter((t) => t.type === "refund")).toEqual([
      expect.objectContaining({ id: tx, amount: 400 }),
    ]);
    const over = await client.moyasarRefund("m", { amount: 601 });
    expect(over.body).toEqual({
      message: "Data validation failed",
      errors: { amount: ["The amount must be less than or equal to the refundable amount (600)."] },
    });
  });

  it("Optty: a BNPL that settles later answers PENDING with a callbackUrl; orders.settle ends it", async () => {
    mock.orders.seed({
      provider: "optty",
      id: "op-pending",
      amount: 2498,
      currency: "AUD",
      pendingRefunds: true,
    });
    const answer = await client.opttyRefund("op-pending", {
      refundReference: "ref-pending-1",
      refundAmount: { amount: 10, currency: "AUD" },
      refundDescription: "Returned",
    });
    expect(answer.status).toBe(201);
    expectValid("optty", "RefundsController_refundOrder", answer);
    const body = answer.body as { refundStatus: string; callbackUrl: string; bnplRefundId: string };
    expect(body.refundStatus).toBe("PENDING");
    expect(body.callbackUrl).toContain(body.bnplRefundId);
    const refund = mock.orders.get("optty", "op-pending")?.refunds[0];
    expect(refund).toMatchObject({ status: "pending", amount: 1000 });
    // A pending refund holds its amount: only 14.98 is left.
    const over = await client.opttyRefund("op-pending", {
      refundReference: "ref-pending-2",
      refundAmount: { amount: 15, currency: "AUD" },
      refundDescription: "Returned",
    });
    expect(over.body).toMatchObject({ message: "You can only refund amount up to AUD 14.98" });
    expect(mock.orders.settle("optty", "op-pending", body.bnplRefundId).status).toBe("approved");
    expect(mock.orders.get("optty", "op-pending")?.refunds[0]?.status).toBe("approved");
  });

  it("Briqpay: pending refunds settle as configured; rejected ones free the amount", async () => {
    mock.orders.seed({
      provider: "briqpay",
      id: SESSION,
      amount: 3000,
      currency: "SEK",
      settleAs: "rejected",
      settleAfterMs: 1000,
    });
    const first = await client.briqpayRefund(SESSION, briqpayAmount(3000));
    expect(first.body).toMatchObject({ status: "pending", amountIncVat: 3000, currency: "SEK" });
    const blocked = await client.briqpayRefund(SESSION, briqpayAmount(1));
    expect(blocked.body).toMatchObject({ error: { code: "REFUND_NOT_ALLOWED" } });
    now += 1000;
    expect(mock.orders.get("briqpay", SESSION)?.refunds[0]?.status).toBe("rejected");
    const second = await client.briqpayRefund(SESSION, briqpayAmount(3000));
    expect(second.status).toBe(201);
  });

  it("Briqpay: explicit settle, immediate settlement, captures and not-captured orders", async () => {
    mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 1000, currency: "SEK" });
    const pending = await client.briqpayRefund(SESSION, briqpayAmount(500));
    const refundId = (pending.body as { refundId: string }).refundId;
    expect(mock.orders.settle("briqpay", SESSION, refundId).status).toBe("approved");

    const other = crypto.randomUUID();
    mock.orders.seed({
      provider: "briqpay",
      id: other,
      amount: 1000,
      currency: "SEK",
      settleAfterMs: 0,
      captures: [
        { captureId: "11111111-1111-4111-8111-111111111111", amount: 600 },
        { captureId: "22222222-2222-4222-8222-222222222222", amount: 400 },
      ],
    });
    const noCapture = await client.briqpayRefund(other, briqpayAmount(100));
    expect(noCapture.body).toMatchObject({ error: { code: "INVALID_DATA" } });
    const overCapture = await client.briqpayRefund(
      other,
      briqpayAmount(401, "SEK", "22222222-2222-4222-8222-222222222222"),
    );
    expect(overCapture.body).toMatchObject({ error: { code: "REFUND_NOT_ALLOWED" } });
    const ok = await client.briqpayRefund(
      other,
      briqpayAmount(400, "SEK", "22222222-2222-4222-8222-222222222222"),
    );
    expect(ok.body).toMatchObject({
      status: "approved",
      parentCaptureId: "22222222-2222-4222-8222-222222222222",
    });

    const uncaptured = crypto.randomUUID();
    mock.orders.seed({
      provider: "briqpay",
      id: uncaptured,
      amount: 1000,
      currency: "SEK",
      captured: false,
    });
    expect((await client.briqpayRefund(uncaptured, briqpayAmount(1))).body).toMatchObject({
      error: { code: "ORDER_NOT_CAPTURED" },
    });
  });

  it("Briqpay: a cart with VAT, discount and sales tax must add up", async () => {
    mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 10000, currency: "USD" });
    const cart = [
      {
        productType: "physical",
        name: "Shoe",
        quantity: 2,
        quantityUnit: "pc",
        unitPrice: 1200,
        taxRate: 2500,
        discountPercentage: 1000,
      },
      { productType: "sales_tax", name: "Sales tax", reference: "sales_tax", totalTaxAmount: 100 },
    ];
    // ex-VAT 2400 - 240 = 2160; VAT 540; + sales tax 100.
    const ok = await client.briqpayRefund(SESSION, {
      data: { order: { amountIncVat: 2800, amountExVat: 2160, currency: "USD", cart } },
    });
    expect(ok.status).toBe(201);
    expect(mock.orders.get("briqpay", SESSION)?.refunds[0]?.cart).toEqual(cart);
  });
});

describe("tokens really expire", () => {
  it("Sezzle and Optty tokens stop working after their TTL on the mock's clock", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s", amount: 100, currency: "USD" });
    mock.orders.seed({ provider: "optty", id: "o", amount: 100, currency: "AUD" });
    const sezzle = await client.sezzleAuth();
    expect(Date.parse((sezzle.body as { expiration_date: string }).expiration_date)).toBe(
      now + 7200_000,
    );
    const sezzleToken = (sezzle.body as { token: string }).token;
    const optty = await client.opttyAuth();
    expect(optty.body).toMatchObject({ expires_in: 86400, token_type: "Bearer" });
    const opttyToken = (optty.body as { access_token: string }).access_token;
    now += 7200_000;
    const expired = await client.sezzleRefund(
      "s",
      { amount_in_cents: 1, currency: "USD" },
      { token: sezzleToken },
    );
    expect(expired.status).toBe(401);
    const stillValid = await client.opttyRefund(
      "o",
      {
        refundReference: "t",
        refundAmount: { amount: 0.01, currency: "AUD" },
        refundDescription: "x",
      },
      { token: opttyToken },
    );
    expect(stillValid.status).toBe(201);
    now += 86400_000;
    const opttyExpired = await client.opttyRefund("o", {}, { token: opttyToken });
    expect(opttyExpired.status).toBe(401);
  });
});
