import { captureRequests, useMswServer } from "@refundkit/test-utils";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { sezzleAdapter } from "../src/index.js";
import { API, PRIVATE_KEY, PUBLIC_KEY, REFUND_OK, tokenIssuer } from "./helpers.js";

const server = useMswServer();

/** Records every request to the refund path, answering the documented 200. */
const capture = () =>
  captureRequests(server, `${API}/v2/order/*`, () => HttpResponse.json(REFUND_OK));

describe("refund request on the wire", () => {
  it("POST /v2/order/{id}/refund with bearer token, Sezzle-Request-Id and the exact JSON body", async () => {
    const seen = capture();
    const adapter = sezzleAdapter.connect({ environment: "sandbox", token: "tok-static" });
    const result = await adapter.refund({
      orderId: "12a34bc5-6de7-890f-g123-4hi5678jk901",
      amount: 2498,
      currency: "USD",
      idempotencyKey: "refund-2498-a",
      reason: "customer returned item",
    });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(`${API}/v2/order/12a34bc5-6de7-890f-g123-4hi5678jk901/refund`);
    expect(request?.headers.authorization).toBe("Bearer tok-static");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["sezzle-request-id"]).toBe("refund-2498-a");
    expect(request?.body).toBe('{"amount_in_cents":2498,"currency":"USD"}');
    expect(result.idempotencyKey).toBe("refund-2498-a");
  });

  it("generates a Sezzle-Request-Id when no idempotencyKey is given and returns it", async () => {
    const seen = capture();
    const adapter = sezzleAdapter.connect({ environment: "sandbox", token: "t" });
    const first = await adapter.refund({ orderId: "ord-1", amount: 100, currency: "USD" });
    const second = await adapter.refund({ orderId: "ord-1", amount: 100, currency: "USD" });
    expect(first.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]?.headers["sezzle-request-id"]).toBe(first.idempotencyKey);
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
  });

  it("uses the token from /v2/authentication, and the EU host for region eu", async () => {
    const EU = "https://sandbox.gateway.eu.sezzle.com";
    const issuer = tokenIssuer(undefined, EU);
    server.use(issuer.handler);
    const seen = captureRequests(server, `${EU}/v2/order/:id/refund`, () =>
      HttpResponse.json(REFUND_OK),
    );
    const adapter = sezzleAdapter.connect({
      environment: "sandbox",
      region: "eu",
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
    });
    await adapter.refund({ orderId: "ord-eu", amount: 5000, currency: "EUR" });
    expect(seen[0]?.url).toBe(`${EU}/v2/order/ord-eu/refund`);
    expect(seen[0]?.headers.authorization).toBe("Bearer tok-1");
  });
});
