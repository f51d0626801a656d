import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { levelupAdapter } from "../src/index.js";

const BASE = "https://sandbox.thelevelup.com";
const ORDER = "393b75b0806011e29e960800200c9a66";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function record(): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.all(`${BASE}/*`, async ({ request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
      });
      return HttpResponse.json({ order: { total_amount: 5 } });
    }),
  );
  return seen;
}

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
