import { type MockServer, startMockServer } from "@refundkit/mock";
import { createRefunds } from "refundkit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/index.js";

let output: string[];
let errors: string[];
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  output = [];
  errors = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  server.orders.reset();
});

const SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";

describe("refundkit status", () => {
  it("prints a Briqpay session's refunds, pending and settled, as the lookup reports them", async () => {
    server.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
    const env = {
      REFUNDKIT_BRIQPAY_USERNAME: server.credentials.briqpay.username,
      REFUNDKIT_BRIQPAY_SECRET: server.credentials.briqpay.secret,
    };
    const refunds = createRefunds({
      briqpay: { baseUrl: server.baseUrls.briqpay, ...server.credentials.briqpay },
    });
    const a = await refunds.refund({
      provider: "briqpay",
      orderId: SESSION,
      amount: 1250,
      currency: "SEK",
    });
    await refunds.refund({ provider: "briqpay", orderId: SESSION, amount: 300, currency: "SEK" });
    server.orders.settle("briqpay", SESSION, a.refundId ?? "");

    const code = await main(
      ["status", "briqpay", SESSION, "--base-url", server.baseUrls.briqpay],
      env,
    );
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const text = output.join("\n");
    expect(text).toContain(`briqpay order ${SESSION}: 2 refund(s), 12.50 SEK refunded`);
    expect(text).toContain(`${a.refundId}  12.50 SEK  succeeded`);
    expect(text).toMatch(/3\.00 SEK {2}pending/);

    output = [];
    expect(
      await main(
        ["status", "briqpay", SESSION, "--json", "--base-url", server.baseUrls.briqpay],
        env,
      ),
    ).toBe(0);
    const json = JSON.parse(output.join("\n")) as { refundedAmount: number; refunds: unknown[] };
    expect(json.refundedAmount).toBe(1250);
    expect(json.refunds).toHaveLength(2);
  });

  it("LevelUp needs a merchant id: refused without one (nothing sent), found with --merchant-id", async () => {
    server.orders.seed({ provider: "levelup", id: "lu-status", amount: 800 });
    const env = { REFUNDKIT_LEVELUP_TOKEN: server.credentials.levelup.token };
    const args = ["status", "levelup", "lu-status", "--base-url", server.baseUrls.levelup];
    expect(await main(args, env)).toBe(2);
    expect(errors.join("\n")).toContain("merchantId");
    expect(await main([...args, "--merchant-id", "3225"], env)).toBe(0);
    expect(output.join("\n")).toContain("levelup order lu-status: 0 refund(s), 0.00 USD refunded");
  });

  it("MPG has no documented lookup: unsupported, refused before sending (exit 2)", async () => {
    const code = await main(
      ["status", "moyasar", "order-1", "--base-url", server.baseUrls.moyasar],
      { REFUNDKIT_MOYASAR_API_KEY: server.credentials.moyasar.apiKey },
    );
    expect(code).toBe(2);
    expect(errors.join("\n")).toContain("MPG documents no merchant order lookup");
  });

  it("an unknown order is exit 1 (the provider answered); usage errors exit 2", async () => {
    const env = {
      REFUNDKIT_BRIQPAY_USERNAME: server.credentials.briqpay.username,
      REFUNDKIT_BRIQPAY_SECRET: server.credentials.briqpay.secret,
    };
    expect(
      await main(["status", "briqpay", SESSION, "--base-url", server.baseUrls.briqpay], env),
    ).toBe(1);
    expect(await main(["status", "nope", "x"])).toBe(2);
    expect(await main(["status", "sezzle"])).toBe(2);
    expect(await main(["status", "sezzle", "o", "--bogus"])).toBe(2);
  });
});
