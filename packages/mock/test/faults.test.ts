import { describe, expect, it } from "vitest";
import { briqpayAmount, expectValid, SESSION } from "./helpers.js";
import { useMock } from "./setup.js";

const { mock, client } = useMock();
const opttyBody = (ref: string, amount = 1) => ({
  refundReference: ref,
  refundAmount: { amount, currency: "AUD" },
  refundDescription: "x",
});

describe("idempotency by each provider's handle", () => {
  it("Sezzle-Request-Id replays the first answer and refunds once", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s", amount: 1000, currency: "USD" });
    const first = await client.sezzleRefund(
      "s",
      { amount_in_cents: 600, currency: "USD" },
      { requestId: "k1" },
    );
    const again = await client.sezzleRefund(
      "s",
      { amount_in_cents: 600, currency: "USD" },
      { requestId: "k1" },
    );
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(mock.orders.get("sezzle", "s")?.refunds).toHaveLength(1);
  });

  it("Optty refundReference: 201 first, the same body with 200 on replay", async () => {
    mock.orders.seed({ provider: "optty", id: "o", amount: 1000, currency: "AUD" });
    const first = await client.opttyRefund("o", opttyBody("ref-1", 6));
    const again = await client.opttyRefund("o", opttyBody("ref-1", 6));
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(mock.orders.get("optty", "o")?.refundedAmount).toBe(600);
  });

  it("MPG transaction_id: in flight -> 400 still processing; done -> the first answer", async () => {
    mock.orders.seed({
      provider: "moyasar",
      id: "m",
      amount: 1000,
      currency: "SAR",
      processingMs: 100,
    });
    const tx = crypto.randomUUID();
    const first = client.moyasarRefund("m", { amount: 300, transaction_id: tx });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const duplicate = await client.moyasarRefund("m", { amount: 300, transaction_id: tx });
    expect(duplicate.body).toEqual({ message: "Initial request is still processing." });
    const done = await first;
    const replay = await client.moyasarRefund("m", { amount: 300, transaction_id: tx });
    expect(replay).toMatchObject({ status: 200, body: done.body });
    expect(mock.orders.get("moyasar", "m")?.refunds).toHaveLength(1);
  });

  it("a refused request does not burn its handle", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s", amount: 100, currency: "USD" });
    const over = await client.sezzleRefund(
      "s",
      { amount_in_cents: 500, currency: "USD" },
      { requestId: "k" },
    );
    expect(over.status).toBe(422);
    const ok = await client.sezzleRefund(
      "s",
      { amount_in_cents: 50, currency: "USD" },
      { requestId: "k" },
    );
    expect(ok.status).toBe(200);
  });
});

describe("faults on demand", () => {
  it("http_500 / http_503 send HTML (Optty's documented 500 stays JSON), then the next request works", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s", amount: 100, currency: "USD" });
    mock.faults.inject({ provider: "sezzle", kind: "http_503", count: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await client.sezzleRefund("s", { amount_in_cents: 10, currency: "USD" });
      expect(result.status).toBe(503);
      expect(result.headers.get("content-type")).toContain("text/html");
    }
    expect((await client.sezzleRefund("s", { amount_in_cents: 10, currency: "USD" })).status).toBe(
      200,
    );
    mock.faults.inject({ provider: "levelup", kind: "http_500" });
    const html = await client.levelupRefund("x");
    expect(html.status).toBe(500);
    expect(html.text).toContain("<html>");
  });

  it("rate_limit answers 429 with Retry-After and applies nothing", async () => {
    mock.orders.seed({ provider: "moyasar", id: "m", amount: 100, currency: "SAR" });
    mock.faults.inject({ provider: "moyasar", kind: "rate_limit" });
    const limited = await client.moyasarRefund("m", { amount: 10 });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(mock.orders.get("moyasar", "m")?.refunds).toEqual([]);
  });

  it("reset_after_commit applies the refund, then fails the connection", async () => {
    mock.orders.seed({ provider: "optty", id: "o", amount: 1000, currency: "AUD" });
    mock.faults.inject({ provider: "optty", kind: "reset_after_commit" });
    await expect(client.opttyRefund("o", opttyBody("r", 2))).rejects.toThrow();
    expect(mock.orders.get("optty", "o")?.refundedAmount).toBe(200);
    const retry = await client.opttyRefund("o", opttyBody("r", 2));
    expect(retry.status).toBe(200);
    expect(mock.orders.get("optty", "o")?.refunds).toHaveLength(1);
  });

  it("malformed_json applies the refund and sends a 2xx whose body does not parse", async () => {
    mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 1000, currency: "SEK" });
    mock.faults.inject({ provider: "briqpay", kind: "malformed_json" });
    const result = await client.briqpayRefund(SESSION, briqpayAmount(100));
    expect(result.status).toBe(201);
    expect(() => JSON.parse(result.text)).toThrow();
    expect(mock.orders.get("briqpay", SESSION)?.refunds).toHaveLength(1);
  });

  it("expired_token answers each provider's own auth error", async () => {
    const cases = [
      [
        "sezzle",
        () => client.sezzleRefund("s", { amount_in_cents: 1, currency: "USD" }),
        401,
        "HandleRefundAmountByOrder",
      ],
      [
        "optty",
        () => client.opttyRefund("o", opttyBody("e")),
        401,
        "RefundsController_refundOrder",
      ],
      ["moyasar", () => client.moyasarRefund("m", { amount: 1 }), 401, "RefundOrder"],
      ["briqpay", () => client.briqpayRefund(SESSION, briqpayAmount(1)), 403, "RefundOrder"],
    ] as const;
    for (const [provider, run, status, operationId] of cases) {
      mock.faults.inject({ provider, kind: "expired_token" });
      const result = await run();
      expect(result.status, provider).toBe(status);
      expectValid(provider, operationId, result);
    }
    mock.faults.inject({ provider: "levelup", kind: "expired_token" });
    expect((await client.levelupRefund("l")).status).toBe(401);
  });

  it("hang never answers until the client gives up", async () => {
    mock.orders.seed({ provider: "sezzle", id: "s", amount: 100, currency: "USD" });
    mock.faults.inject({ provider: "sezzle", kind: "hang" });
    const token = await client.sezzleToken();
    const started = Date.now();
    await expect(
      fetch(`${mock.baseUrls.sezzle}/v2/order/s/refund`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ amount_in_cents: 1, currency: "USD" }),
        signal: AbortSignal.timeout(150),
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(mock.orders.get("sezzle", "s")?.refunds).toEqual([]);
  });

  it("refuses unknown fault kinds and providers", () => {
    expect(() => mock.faults.inject({ provider: "sezzle", kind: "boom" as "hang" })).toThrow(
      TypeError,
    );
    expect(() => mock.faults.inject({ provider: "paypal" as "sezzle", kind: "hang" })).toThrow(
      TypeError,
    );
  });
});
