import { describe, expect, it, vi } from "vitest";
import { defineAdapter } from "../src/adapter.js";
import { RefundError } from "../src/errors.js";
import type { BaseRefundRequest, Capabilities } from "../src/types.js";

const capabilities: Capabilities = Object.freeze({
  partialRefunds: true,
  fullRefundWithoutAmount: false,
  idempotency: "header",
  pendingResults: false,
  lineItems: false,
});

function fixture() {
  const createClient = vi.fn((options: { token: string; timeoutMs?: number }) => ({ options }));
  const refund = vi.fn(
    async (client: { options: { token: string } }, request: BaseRefundRequest) => ({
      provider: "sezzle" as const,
      orderId: request.orderId,
      status: "succeeded" as const,
      refundId: client.options.token,
      amount: request.amount ?? null,
      currency: request.currency ?? null,
      idempotencyKey: null,
      raw: null,
    }),
  );
  const adapter = defineAdapter({ provider: "sezzle", capabilities, createClient, refund });
  return { adapter, createClient, refund };
}

describe("defineAdapter", () => {
  it("builds the client once per connect, from the config and the transport options", async () => {
    const { adapter, createClient, refund } = fixture();
    const connected = adapter.connect({ token: "t" }, { timeoutMs: 5 });
    await connected.refund({ orderId: "o1", amount: 1, currency: "USD" });
    await connected.refund({ orderId: "o2", amount: 2, currency: "USD" });
    expect(createClient).toHaveBeenCalledTimes(1);
    expect(createClient).toHaveBeenCalledWith({ token: "t", timeoutMs: 5 });
    expect(refund).toHaveBeenCalledTimes(2);
    expect(connected.provider).toBe("sezzle");
    expect(connected.capabilities).toBe(capabilities);
    expect(adapter.capabilities).toBe(capabilities);
  });

  it("refuses a config or a request that is not an object with invalid_request", async () => {
    const { adapter, refund } = fixture();
    expect(() => adapter.connect(null as never)).toThrow(RefundError);
    const connected = adapter.connect({ token: "t" });
    await expect(connected.refund(null as never)).rejects.toMatchObject({
      code: "invalid_request",
      provider: "sezzle",
      status: null,
    });
    expect(refund).not.toHaveBeenCalled();
  });
});
