import { describe, expect, it } from "vitest";
import { createRefunds, isRefundError, type RefundRequest } from "../src/index.js";

/** Every bad top-level call is a RefundError("invalid_request"), never a TypeError. */
async function rejection(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

const refunds = createRefunds({
  sezzle: { environment: "sandbox", publicKey: "k", privateKey: "p" },
});

describe("bad top-level calls", () => {
  it.each([
    ["refund(null)", () => refunds.refund(null as unknown as RefundRequest), "unknown"],
    ["refund(42)", () => refunds.refund(42 as unknown as RefundRequest), "unknown"],
    ["createRefunds(null)", () => createRefunds(null as never), "unknown"],
    ["createRefunds('x')", () => createRefunds("x" as never), "unknown"],
    [
      "refund({provider: 7})",
      () => refunds.refund({ provider: 7 } as unknown as RefundRequest),
      "unknown",
    ],
    [
      "refund({provider: 'paypal'})",
      () => refunds.refund({ provider: "paypal" } as unknown as RefundRequest),
      "paypal",
    ],
    ["retrieve(null)", () => refunds.retrieve(null as never), "unknown"],
    ["waitUntilFinal(null)", () => refunds.waitUntilFinal(null as never), "unknown"],
    ["reconcile(null, error)", () => refunds.reconcile(null as never, new Error("x")), "unknown"],
    ["capabilities('paypal')", () => refunds.capabilities("paypal" as never), "paypal"],
  ])("%s: RefundError invalid_request, provider %j", async (_name, call, provider) => {
    const error = await rejection(call);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(isRefundError(error)).toBe(true);
    expect(error).toMatchObject({ code: "invalid_request", provider, retryable: false });
    // One message style: "<provider>: <message>".
    expect((error as Error).message.startsWith(`${provider}: `)).toBe(true);
  });

  it("a provider that is not configured names it, in the same style", async () => {
    const error = await rejection(() =>
      refunds.refund({ provider: "optty", orderId: "o-1", amount: 100, currency: "USD" }),
    );
    expect(error).toMatchObject({ code: "invalid_request", provider: "optty" });
    expect((error as Error).message).toMatch(/^optty: .*optty is not configured/);
  });
});

describe("inputs refused before any request", () => {
  const sent: string[] = [];
  const everyProvider = createRefunds(
    {
      sezzle: { baseUrl: "https://sezzle.test", token: "t" },
      optty: { baseUrl: "https://optty.test", token: "t" },
      levelup: { baseUrl: "https://levelup.test", token: "t" },
      moyasar: { baseUrl: "https://moyasar.test", apiKey: "sk_test_1" },
      briqpay: { baseUrl: "https://briqpay.test", username: "u", secret: "s" },
    },
    {
      fetch: async (input) => {
        sent.push(String(input instanceof Request ? input.url : input));
        return new Response("{}", { status: 500 });
      },
    },
  );
  const SESSION = "6f1c2a4e-8b3d-4c5e-9f60-1a2b3c4d5e6f";

  it.each([
    ["sezzle", { orderId: "../admin", amount: 100, currency: "USD" }, "invalid_request"],
    ["sezzle", { orderId: "o-1", amount: 1.5, currency: "USD" }, "invalid_request"],
    ["sezzle", { orderId: "o-1", amount: 100 }, "invalid_request"],
    ["optty", { orderId: "o-1", amount: -1, currency: "USD" }, "invalid_request"],
    ["optty", { orderId: "o-1", amount: 1, currency: "KWD" }, "invalid_request"],
    ["levelup", { orderId: "1", amount: 100, currency: "USD" }, "unsupported"],
    ["levelup", { orderId: "1", managerConfirmation: "" }, "invalid_request"],
    ["moyasar", { orderId: "o-1" }, "unsupported"],
    ["moyasar", { orderId: "o-1", amount: 100, currency: "usd" }, "invalid_request"],
    ["briqpay", { orderId: "not-a-uuid", amount: 100, currency: "SEK" }, "invalid_request"],
    ["briqpay", { orderId: SESSION }, "unsupported"],
    ["briqpay", { orderId: SESSION, cart: [] }, "invalid_request"],
  ] as const)(
    "%s %j: %s, '<provider>: ' message, no stack frames, nothing sent",
    async (provider, fields, code) => {
      const error = await rejection(() =>
        everyProvider.refund({ provider, ...fields } as unknown as RefundRequest),
      );
      expect(error).toMatchObject({ code, provider, retryable: false, status: null });
      const { message, stack } = error as Error;
      expect(message.startsWith(`${provider}: `)).toBe(true);
      // Built without capturing frames (errors.ts `refusal`): the stack is its first line only.
      expect(stack).toBe(`RefundError: ${message}`);
      expect(sent).toEqual([]);
    },
  );
});

describe("webhooks.verify with a body a framework already parsed", () => {
  it.each([
    ["sezzle", { "sezzle-signature": "ab".repeat(32) }],
    ["briqpay", {}],
  ] as const)(
    "%s: RefundError invalid_request naming the raw body, not a TypeError",
    async (provider, headers) => {
      const refunds = createRefunds({
        sezzle: { baseUrl: "https://sezzle.test", publicKey: "k", privateKey: "p" },
        briqpay: { baseUrl: "https://briqpay.test", username: "u", secret: "s" },
      });
      const error = await rejection(() =>
        refunds.webhooks.verify(provider, {
          headers,
          body: { event: "order.refunded" } as unknown as string,
        }),
      );
      expect(error).toMatchObject({ code: "invalid_request", provider, retryable: false });
      expect((error as Error).message).toContain("must be the raw request body as received");
    },
  );
});
