/**
 * What refundkit itself adds to a refund: validation, the typed openapi-fetch call, auth, the
 * resilient fetch and the answer's mapping, with a `fetch` that answers at once (no network, no
 * msw), so the figures are the library's own cost per refund.
 */
import { createRefunds } from "refundkit";
import { bench, describe } from "vitest";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const instantFetch: typeof fetch = async (input) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.pathname.endsWith("/v2/authentication")) {
    return json(200, { token: "t", expiration_date: "2099-01-01T00:00:00Z", merchant_uuid: "m" });
  }
  if (url.pathname.startsWith("/v2/order/")) return json(200, { uuid: "r-1" });
  if (url.pathname.startsWith("/orders/")) {
    return json(201, {
      refundReference: "ref",
      bnplProvider: "KLARNA_AU",
      refundedAmount: 24.98,
      refundStatus: "SUCCESSFUL",
      description: {},
      refundDate: "Fri, 08 Oct 2021 06:22:20 GMT",
      bnplRefundId: "b-1",
    });
  }
  if (url.pathname.startsWith("/v3/session/")) {
    return json(201, { refundId: "r-1", status: "pending", amountIncVat: 1000, currency: "SEK" });
  }
  return json(404, {});
};

const refunds = createRefunds(
  {
    sezzle: { baseUrl: "https://sezzle.test", publicKey: "pk", privateKey: "sk" },
    optty: { baseUrl: "https://optty.test", token: "t" },
    briqpay: { baseUrl: "https://briqpay.test", username: "u", secret: "s" },
  },
  { fetch: instantFetch },
);

describe("refund() through the whole stack, instant fetch", () => {
  bench("sezzle (header idempotency, cached token)", async () => {
    await refunds.refund({
      provider: "sezzle",
      orderId: "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      amount: 2500,
      currency: "USD",
    });
  });
  bench("optty (decimal conversion both ways)", async () => {
    await refunds.refund({
      provider: "optty",
      orderId: "TgEHcPtpN2HSrTMK-0",
      amount: 2498,
      currency: "AUD",
    });
  });
  bench("briqpay (adjustment line, basic auth)", async () => {
    await refunds.refund({
      provider: "briqpay",
      orderId: "c5674f4f-7e84-405c-a44b-c83736bb7209",
      amount: 1000,
      currency: "SEK",
    });
  });
  bench("bad input refused (no request)", async () => {
    await refunds
      .refund({ provider: "sezzle", orderId: "../admin", amount: 1, currency: "USD" })
      .catch(() => undefined);
  });
});
