import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../src/index.js";
import { briqpayAmount, expectValid, SESSION, wire } from "./helpers.js";

const run = promisify(execFile);
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
});

async function admin(path: string, init?: { method?: string; body?: unknown }) {
  const response = await fetch(`${server.url}${path}`, {
    method: init?.method ?? "GET",
    ...(init?.body === undefined
      ? {}
      : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("startMockServer", () => {
  it("listens on 127.0.0.1 with one base URL per provider", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseUrls).toEqual({
      sezzle: `${server.url}/sezzle`,
      optty: `${server.url}/optty`,
      opttyAuth: `${server.url}/optty`,
      levelup: `${server.url}/levelup`,
      moyasar: `${server.url}/moyasar`,
      briqpay: `${server.url}/briqpay/v3`,
    });
    const providers = await admin("/__mock/providers");
    expect(providers.body).toMatchObject({ url: server.url, baseUrls: server.baseUrls });
  });

  it("admin API: seed, refund over HTTP in every wire format, read the ledger back", async () => {
    const seeds = [
      { provider: "sezzle", id: "sz", amount: 5000, currency: "USD" },
      { provider: "optty", id: "op", amount: 2498, currency: "AUD" },
      { provider: "levelup", id: "lu", amount: 700 },
      { provider: "moyasar", id: "mp", amount: 1000, currency: "SAR" },
      { provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK", settleAfterMs: 0 },
    ];
    for (const seed of seeds)
      expect((await admin("/__mock/orders", { method: "POST", body: seed })).status).toBe(201);
    const client = wire(server.baseUrls);
    const results = [
      [
        "sezzle",
        "HandleRefundAmountByOrder",
        await client.sezzleRefund("sz", { amount_in_cents: 100, currency: "USD" }),
      ],
      [
        "optty",
        "RefundsController_refundOrder",
        await client.opttyRefund("op", {
          refundReference: "r",
          refundAmount: { amount: 1.5, currency: "AUD" },
          refundDescription: "x",
        }),
      ],
      ["levelup", "RefundOrder", await client.levelupRefund("lu")],
      ["moyasar", "RefundOrder", await client.moyasarRefund("mp", { amount: 10 })],
      ["briqpay", "RefundOrder", await client.briqpayRefund(SESSION, briqpayAmount(30))],
    ] as const;
    for (const [provider, operationId, result] of results) {
      expect(result.status, provider).toBeLessThan(300);
      expectValid(provider, operationId, result);
    }
    const ledger = (await admin("/__mock/orders")).body as {
      orders: Array<{ provider: string; refundedAmount: number }>;
    };
    expect(
      Object.fromEntries(ledger.orders.map((order) => [order.provider, order.refundedAmount])),
    ).toEqual({
      sezzle: 100,
      optty: 150,
      levelup: 700,
      moyasar: 10,
      briqpay: 30,
    });
  });

  it("admin API: faults, bad seeds and unknown routes", async () => {
    expect(
      (
        await admin("/__mock/faults", {
          method: "POST",
          body: { provider: "levelup", kind: "reset_after_commit" },
        })
      ).status,
    ).toBe(201);
    server.orders.seed({ provider: "levelup", id: "reset", amount: 10 });
    await expect(wire(server.baseUrls).levelupRefund("reset")).rejects.toThrow();
    expect(server.orders.get("levelup", "reset")?.refunds).toHaveLength(1);
    expect(
      (
        await admin("/__mock/faults", {
          method: "POST",
          body: { provider: "levelup", kind: "nope" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await admin("/__mock/orders", {
          method: "POST",
          body: { provider: "briqpay", id: "x", amount: 1, currency: "SEK" },
        })
      ).status,
    ).toBe(400);
    expect((await admin("/__mock/nothing")).status).toBe(404);
    const unknown = await fetch(`${server.url}/sezzle/v2/unknown`);
    expect(unknown.status).toBe(404);
  });

  it("works from a separate process with curl", async () => {
    const curl = async (...args: string[]) =>
      (await run("curl", ["-s", "-w", "\n%{http_code}", ...args])).stdout;
    await curl(
      "-X",
      "POST",
      `${server.url}/__mock/orders`,
      "-H",
      "Content-Type: application/json",
      "-d",
      '{"provider":"moyasar","id":"curl-1","amount":500,"currency":"SAR"}',
    );
    const refused = await curl(
      "-X",
      "POST",
      `${server.baseUrls.moyasar}/v1/orders/curl-1/refund`,
      "-H",
      "Authorization: Bearer pk_test_publishable",
      "-H",
      "Content-Type: application/json",
      "-d",
      '{"amount":100}',
    );
    expect(refused).toBe('{"message":"Unauthorized"}\n403');
    const ok = await curl(
      "-X",
      "POST",
      `${server.baseUrls.moyasar}/v1/orders/curl-1/refund`,
      "-H",
      `Authorization: Bearer ${server.credentials.moyasar.apiKey}`,
      "-H",
      "Content-Type: application/json",
      "-d",
      '{"amount":100}',
    );
    expect(ok.endsWith("\n200")).toBe(true);
    const badBody = await curl(
      "-X",
      "POST",
      `${server.baseUrls.moyasar}/v1/orders/curl-1/refund`,
      "-H",
      `Authorization: Bearer ${server.credentials.moyasar.apiKey}`,
      "-H",
      "Content-Type: application/json",
      "-d",
      '{"amount":"1"}',
    );
    expect(badBody).toBe(
      '{"message":"Data validation failed","errors":{"amount":["The value must be an integer."]}}\n422',
    );
    const ledger = await curl(`${server.url}/__mock/orders`);
    expect(ledger).toContain('"id":"curl-1"');
    expect(server.orders.get("moyasar", "curl-1")?.refundedAmount).toBe(100);
  });
});
