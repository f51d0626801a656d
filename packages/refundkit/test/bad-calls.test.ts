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
