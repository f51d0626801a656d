import { startMockServer } from "@refundkit/mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/index.js";

let output: string[];
let errors: string[];

beforeEach(() => {
  output = [];
  errors = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    output.push(args.join(" "));
  });
  vi.spyOn(console, "table").mockImplementation((data: unknown) => {
    output.push(JSON.stringify(data));
  });
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args.join(" "));
  });
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("refundkit demo", () => {
  it("runs every provider's story against the mock over HTTP and exits 0", async () => {
    const code = await main(["demo"]);
    const text = output.join("\n");
    expect(code).toBe(0);
    for (const provider of ["Sezzle", "Optty", "LevelUp", "Moyasar", "Briqpay"]) {
      expect(text).toContain(provider);
    }
    expect(text).toContain("RefundError amount_exceeds_refundable");
    expect(text).toContain("RefundError already_refunded");
    expect(text).toContain("RefundError unsupported");
    // Following refunds to their end: pending -> settled, a timeout reconciled, webhooks.
    expect(text).toMatch(/waitUntilFinal: succeeded 1000 SEK/);
    expect(text).toMatch(
      /refund_status hook "approved": verified by reading the session back -> succeeded/,
    );
    expect(text).toMatch(
      /RefundError timeout: did the money move\?\n.*reconcile: refunded 2200 USD/,
    );
    expect(text).toMatch(/verified: order\.refunded for order /);
    expect(text).toMatch(/replayed: RefundError authentication_failed/);
    expect(text).toMatch(
      /forged body under the genuine signature: RefundError authentication_failed/,
    );
    // The idempotent replay and the retried 500 each left exactly one refund in the ledger.
    expect(text).toMatch(/sezzle .* refunds \[2500 approved, 1000 approved\]/);
    expect(text).toMatch(/optty .* refunds \[1000 approved\]/);
  }, 30_000);
});

describe("refundkit refund", () => {
  it("refunds through a provider with credentials from the environment", async () => {
    const server = await startMockServer({ port: 0 });
    try {
      server.orders.seed({ provider: "moyasar", id: "order-1", amount: 5_000, currency: "SAR" });
      const env = { REFUNDKIT_MOYASAR_API_KEY: server.credentials.moyasar.apiKey };
      const code = await main(
        [
          "refund",
          "--provider",
          "moyasar",
          "--order",
          "order-1",
          "--amount",
          "1250",
          "--currency",
          "SAR",
          "--base-url",
          server.baseUrls.moyasar,
        ],
        env,
      );
      expect(errors).toEqual([]);
      expect(code).toBe(0);
      const result = JSON.parse(output.join("\n")) as Record<string, unknown>;
      expect(result).toMatchObject({
        provider: "moyasar",
        orderId: "order-1",
        status: "succeeded",
        amount: 1250,
        currency: "SAR",
      });
      expect(server.orders.get("moyasar", "order-1")?.refunds).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("prints the RefundError as JSON and exits 1, without the credential", async () => {
    const server = await startMockServer({ port: 0 });
    try {
      const code = await main(
        [
          "refund",
          "--provider",
          "levelup",
          "--order",
          "nope",
          "--base-url",
          server.baseUrls.levelup,
        ],
        { REFUNDKIT_LEVELUP_TOKEN: "wrong-secret-token-value" },
      );
      expect(code).toBe(1);
      const error = JSON.parse(errors.join("\n")) as Record<string, unknown>;
      expect(error).toMatchObject({
        code: "authentication_failed",
        provider: "levelup",
        status: 401,
      });
      expect(errors.join("\n")).not.toContain("wrong-secret-token-value");
    } finally {
      await server.close();
    }
  });

  it("refuses a decimal amount instead of guessing minor units", async () => {
    const code = await main([
      "refund",
      "--provider",
      "sezzle",
      "--order",
      "o",
      "--amount",
      "12.50",
      "--currency",
      "USD",
    ]);
    expect(code).toBe(2);
    expect(errors.join("\n")).toContain("integer number of minor units");
  });

  it("names a missing environment/baseUrl without echoing credentials", async () => {
    const code = await main(["refund", "--provider", "moyasar", "--order", "o", "--amount", "1"], {
      REFUNDKIT_MOYASAR_API_KEY: "sk_live_do_not_print",
    });
    expect(code).toBe(1);
    const text = errors.join("\n");
    expect(text).toContain("environment");
    expect(text).not.toContain("sk_live_do_not_print");
  });
});

describe("refundkit capabilities", () => {
  it("lists what each provider supports", async () => {
    expect(await main(["capabilities", "levelup"])).toBe(0);
    expect(JSON.parse(output.join(""))).toEqual({
      levelup: {
        partialRefunds: false,
        fullRefundWithoutAmount: true,
        idempotency: "none",
        pendingResults: false,
        lineItems: false,
        retrieve: true,
        webhooks: "none",
      },
    });
  });

  it("rejects an unknown command with usage and exit 1", async () => {
    expect(await main(["refnud"])).toBe(1);
    expect(errors.join("\n")).toContain("unknown command");
  });
});
