/**
 * Token lifetimes are measured on Sezzle's clock (`expiration_date` minus the response's `Date`),
 * so a merchant clock hours off Sezzle's does not make every refund fetch a new token.
 */
import { describe, expect, it, vi } from "vitest";
import { sezzleAdapter } from "../src/index.js";

const HOUR = 3_600_000;

function sezzleWithClockOffset(offsetMs: number, dateHeader: boolean) {
  const tokenCalls: number[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const sezzleNow = Date.now() + offsetMs;
    if (request.url.endsWith("/v2/authentication")) {
      tokenCalls.push(sezzleNow);
      // Sezzle's documented answer: a token that expires two hours after it was issued.
      return Response.json(
        {
          token: `t${tokenCalls.length}`,
          expiration_date: new Date(sezzleNow + 2 * HOUR).toISOString(),
          merchant_uuid: "m",
        },
        { headers: dateHeader ? { date: new Date(sezzleNow).toUTCString() } : {} },
      );
    }
    return Response.json({ uuid: "6c9db5d4-d09a-4224-9b5c-2d4e5f6a7b8c" });
  };
  const sezzle = sezzleAdapter.connect(
    { baseUrl: "https://sezzle.test", publicKey: "pk", privateKey: "sk" },
    { fetch },
  );
  return { sezzle, tokenCalls };
}

const refund = { orderId: "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", amount: 100, currency: "USD" };

describe("Sezzle token lifetime", () => {
  it("merchant clock 3 h ahead of Sezzle's: 5 refunds, 1 token call", async () => {
    const { sezzle, tokenCalls } = sezzleWithClockOffset(-3 * HOUR, true);
    for (let i = 0; i < 5; i++) await sezzle.refund(refund);
    expect(tokenCalls).toHaveLength(1);
  });

  it("merchant clock 3 h behind Sezzle's: the token is not kept past its two hours", async () => {
    // Against the local clock the token would look valid for 5 hours.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { sezzle, tokenCalls } = sezzleWithClockOffset(3 * HOUR, true);
      await sezzle.refund(refund);
      vi.setSystemTime(Date.now() + 2 * HOUR);
      await sezzle.refund(refund);
      expect(tokenCalls).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("without a Date header, falls back to the local clock", async () => {
    const { sezzle, tokenCalls } = sezzleWithClockOffset(0, false);
    for (let i = 0; i < 3; i++) await sezzle.refund(refund);
    expect(tokenCalls).toHaveLength(1);
  });
});
