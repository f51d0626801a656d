import { readFileSync } from "node:fs";
import { startMockServer } from "@refundkit/mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/index.js";
import { parseTypedAmount } from "../src/internal/amount.js";

let output: string[];
let errors: string[];

beforeEach(() => {
  output = [];
  errors = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    output.push(`${args.join(" ")}\n`);
  });
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
});

const stdout = () => output.join("");
const stderr = () => errors.join("");

describe("refundkit demo", () => {
  it("runs every provider's story against the mock over HTTP and exits 0", async () => {
    const code = await main(["demo"]);
    const text = stdout();
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

describe("amounts as a person types them", () => {
  it("converts with the currency's ISO 4217 exponent, exactly", () => {
    expect(parseTypedAmount("24.98", "USD")).toBe(2498);
    expect(parseTypedAmount("12.34", "USD")).toBe(1234);
    expect(parseTypedAmount("0.29", "USD")).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
    expect(parseTypedAmount("500", "JPY")).toBe(500);
    expect(parseTypedAmount("1.250", "KWD")).toBe(1250);
    expect(parseTypedAmount("24.980", "USD")).toBe(2498); // trailing zeros lose nothing
  });

  it("refuses more decimals than the currency has, naming the exponent", () => {
    expect(() => parseTypedAmount("12.345", "USD")).toThrow(
      "amount 12.345 has more than 2 decimals, the most USD has (ISO 4217 exponent 2)",
    );
    expect(() => parseTypedAmount("500.5", "JPY")).toThrow("JPY has none (ISO 4217 exponent 0)");
    expect(() => parseTypedAmount("1.2505", "KWD")).toThrow("ISO 4217 exponent 3");
    expect(() => parseTypedAmount("1e3", "USD")).toThrow("not a plain decimal");
    expect(() => parseTypedAmount("-5", "USD")).toThrow("not a plain decimal");
    expect(() => parseTypedAmount("12,50", "EUR")).toThrow("not a plain decimal");
    expect(() => parseTypedAmount("1", "usd")).toThrow("ISO 4217");
  });
});

describe("refundkit refund", () => {
  it("takes the amount in major units and prints a sentence", async () => {
    const server = await startMockServer({ port: 0 });
    try {
      server.orders.seed({ provider: "moyasar", id: "order-1", amount: 5_000, currency: "SAR" });
      const env = {
        REFUNDKIT_MOYASAR_API_KEY: server.credentials.moyasar.apiKey,
        REFUNDKIT_MOYASAR_BASE_URL: server.baseUrls.moyasar,
      };
      const code = await main(
        [
          "refund",
          "--provider",
          "moyasar",
          "--order",
          "order-1",
          "--amount",
          "12.34",
          "--currency",
          "SAR",
        ],
        env,
      );
      expect(stderr()).toBe("");
      expect(code).toBe(0);
      expect(stdout()).toContain("Refunded: 12.34 SAR (1234 minor units), moyasar order order-1");
      expect(server.orders.get("moyasar", "order-1")?.refunds.map((r) => r.amount)).toEqual([1234]);
    } finally {
      await server.close();
    }
  });

  it("warns when MPG refunded in the order's currency, not the one asked for", async () => {
    const server = await startMockServer({ port: 0 });
    try {
      server.orders.seed({ provider: "moyasar", id: "order-3", amount: 5_000, currency: "SAR" });
      const env = {
        REFUNDKIT_MOYASAR_API_KEY: server.credentials.moyasar.apiKey,
        REFUNDKIT_MOYASAR_BASE_URL: server.baseUrls.moyasar,
      };
      const args = ["refund", "--provider", "moyasar", "--order", "order-3", "--amount", "1.00"];
      const code = await main([...args, "--currency", "USD"], env);
      expect(code).toBe(0);
      expect(stdout()).toContain("Refunded: 1.00 SAR (100 minor units), moyasar order order-3");
      expect(stdout()).toContain(
        "warning: refunded in SAR, not USD as asked: the amount was taken in the order's currency",
      );
    } finally {
      await server.close();
    }
  });

  it("prints JSON only with --json", async () => {
    const server = await startMockServer({ port: 0 });
    try {
      server.orders.seed({ provider: "moyasar", id: "order-2", amount: 5_000, currency: "KWD" });
      const code = await main(
        [
          "refund",
          "--provider",
          "moyasar",
          "--order",
          "order-2",
          "--amount",
          "1.250",
          "--currency",
          "KWD",
          "--base-url",
          server.baseUrls.moyasar,
          "--json",
        ],
        { REFUNDKIT_MOYASAR_API_KEY: server.credentials.moyasar.apiKey },
      );
      expect(code).toBe(0);
      expect(JSON.parse(stdout())).toMatchObject({
        status: "succeeded",
        amount: 1250,
        currency: "KWD",
      });
    } finally {
      await server.close();
    }
  });

  it("a refused refund is one line with the code and what to do, exit 1, no credential", async () => {
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
      const text = stderr();
      expect(text.trim().split("\n")).toHaveLength(1);
      expect(text).toMatch(
        /^refundkit: authentication_failed \(levelup, HTTP 401\): .*Check REFUNDKIT_LEVELUP_TOKEN/,
      );
      expect(text).not.toContain("wrong-secret-token-value");
      expect(text).not.toContain('"code"'); // a sentence, not a JSON object
    } finally {
      await server.close();
    }
  });

  it("refuses more decimals than the currency has, before anything is sent (exit 2)", async () => {
    const code = await main([
      "refund",
      "--provider",
      "sezzle",
      "--order",
      "o",
      "--amount",
      "12.345",
      "--currency",
      "USD",
    ]);
    expect(code).toBe(2);
    expect(stderr()).toBe(
      "refundkit: --amount: amount 12.345 has more than 2 decimals, the most USD has (ISO 4217 exponent 2)\n",
    );
  });

  it("names what to set when no environment or base URL is given, without the credential", async () => {
    const code = await main(
      ["refund", "--provider", "moyasar", "--order", "o", "--amount", "1", "--currency", "SAR"],
      { REFUNDKIT_MOYASAR_API_KEY: "sk_live_do_not_print" },
    );
    expect(code).toBe(2);
    const text = stderr();
    expect(text).toContain("REFUNDKIT_ENVIRONMENT");
    expect(text).toContain("REFUNDKIT_MOYASAR_BASE_URL");
    expect(text).not.toContain("sk_live_do_not_print");
  });

  it("a missing required option is bad usage (exit 2)", async () => {
    expect(await main(["refund", "--order", "o"])).toBe(2);
    expect(stderr()).toContain("--provider");
  });
});

describe("--help on every command", () => {
  it.each([["demo"], ["mock"], ["refund"], ["bulk"], ["capabilities"]])(
    "refundkit %s --help prints usage and exits 0",
    async (command) => {
      expect(await main([command, "--help"])).toBe(0);
      expect(stdout()).toContain(`Usage: refundkit ${command}`);
    },
  );

  it.each([["--version"], ["-v"]])(
    "refundkit %s prints the package's version and exits 0",
    async (flag) => {
      const { version } = JSON.parse(
        readFileSync(new URL("../package.json", import.meta.url), "utf8"),
      ) as { version: string };
      expect(await main([flag])).toBe(0);
      expect(stdout()).toBe(`${version}\n`);
    },
  );

  it("refundkit --help names every credential variable, Optty's auth URL included", async () => {
    expect(await main(["--help"])).toBe(0);
    for (const name of [
      "SEZZLE_TOKEN",
      "OPTTY_CLIENT_SECRET",
      "OPTTY_AUTH_URL",
      "LEVELUP_MERCHANT_ID",
      "MOYASAR_API_KEY",
      "BRIQPAY_SECRET",
    ]) {
      expect(stdout()).toContain(`REFUNDKIT_${name}`);
    }
  });

  it("refundkit --help lists the commands", async () => {
    expect(await main(["--help"])).toBe(0);
    for (const command of ["demo", "mock", "refund", "bulk", "capabilities"]) {
      expect(stdout()).toContain(command);
    }
  });
});

describe("refundkit capabilities", () => {
  it("prints a table for a terminal, ending with a newline", async () => {
    expect(await main(["capabilities"])).toBe(0);
    const text = stdout();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^provider\s+partialRefunds\s+fullRefundWithoutAmount\s+idempotency/);
    expect(lines).toHaveLength(6);
    expect(lines.find((line) => line.startsWith("levelup"))).toMatch(/^levelup\s+no\s+yes\s+none/);
    expect(text).not.toContain("'");
  });

  it("prints JSON with --json", async () => {
    expect(await main(["capabilities", "levelup", "--json"])).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({
      levelup: {
        partialRefunds: false,
        fullRefundWithoutAmount: true,
        idempotency: "none",
        retrieve: true,
        webhooks: "none",
      },
    });
  });

  it("rejects an unknown command or provider with exit 2", async () => {
    expect(await main(["refnud"])).toBe(2);
    expect(stderr()).toContain("unknown command");
    expect(await main(["capabilities", "paypal"])).toBe(2);
    expect(stderr()).toContain('unknown provider "paypal"');
  });
});
