import { type CapturedRequest, captureRequests, useMswServer } from "@refundkit/test-utils";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { levelupAdapter } from "../src/index.js";

const BASE = "https://sandbox.thelevelup.com";
const ORDER = "393b75b0806011e29e960800200c9a66";
const server = useMswServer();

/** Records every request to the host, answering a documented-shaped success. */
const record = (): CapturedRequest[] =>
  captureRequests(server, `${BASE}/*`, () => HttpResponse.json({ order: { total_amount: 5 } }));

describe("levelup refund wire", () => {
  const adapter = levelupAdapter.connect({ environment: "sandbox", token: "tok-1" });

  it("POSTs {refund: {}} to /v14/orders/{uuid}/refund with the documented headers", async () => {
    const seen = record();
    await adapter.refund({ orderId: ORDER });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe(`${BASE}/v14/orders/${ORDER}/refund`);
    expect(seen[0]?.body).toBe('{"refund":{}}');
    expect(seen[0]?.headers).toEqual({
      accept: "application/json",
      "content-type": "application/json",
      authorization: "token tok-1",
    });
  });

  it("sends the manager confirmation as the seed's body, byte for byte", async () => {
    const seen = record();
    await adapter.refund({ orderId: ORDER, managerConfirmation: "87168" });
    expect(seen[0]?.body).toBe('{"refund":{"manager_confirmation":"87168"}}');
  });

  it("sends no idempotency header and no reason (LevelUp has neither)", async () => {
    const seen = record();
    await adapter.refund({ orderId: ORDER, idempotencyKey: "k-1", reason: "customer asked" });
    expect(
      Object.keys(seen[0]?.headers ?? {}).filter((h) => /idempot|request-id/i.test(h)),
    ).toEqual([]);
    expect(seen[0]?.body).toBe('{"refund":{}}');
  });
});
