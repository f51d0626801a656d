/**
 * Nothing a refund allocates outlives it: after tens of thousands of settled refunds and a full
 * GC the heap is flat (a few hundred bytes a refund at most, noise included), and a long-lived
 * caller signal passed to every refund (a server's shutdown signal) has as many abort listeners
 * as before. `fetch` answers from memory, so only refundkit's own allocations are measured.
 */
import { getEventListeners } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createRefunds } from "../src/index.js";

// --expose-gc for this file alone: the flag makes `gc` available to new contexts.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const memoryFetch: typeof globalThis.fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url.endsWith("/v2/authentication")) {
    return Response.json({ token: "tok", expiration_date: "2099-01-01T00:00:00Z" });
  }
  if (url.includes("/v3/session/")) {
    return Response.json(
      { refundId: "r-1", status: "approved", amountIncVat: 1000, currency: "SEK" },
      { status: 201 },
    );
  }
  return Response.json({ uuid: "6c9db5d4-d09a-4224-9b5c-2d4e5f6a7b8c" });
};

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

describe("memory per refund", () => {
  it("is flat after 20,000 refunds, and a long-lived caller signal keeps no listener", async () => {
    const refunds = createRefunds(
      {
        sezzle: { baseUrl: "https://sezzle.test", publicKey: "pk", privateKey: "sk" },
        briqpay: { baseUrl: "https://briqpay.test", username: "u", secret: "s" },
      },
      { fetch: memoryFetch, timeoutMs: 500 },
    );
    const shutdown = new AbortController();
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const sezzle = await refunds.refund({
          provider: "sezzle",
          orderId: "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
          amount: 2500,
          currency: "USD",
          signal: shutdown.signal,
        });
        expect(sezzle.status).toBe("succeeded");
        await refunds.refund({
          provider: "briqpay",
          orderId: "c5674f4f-7e84-405c-a44b-c83736bb7209",
          amount: 1000,
          currency: "SEK",
          signal: shutdown.signal,
        });
      }
    };
    const listenersAtStart = getEventListeners(shutdown.signal, "abort").length;
    await run(2_000); // warm-up: JIT, caches
    const before = await settledHeap();
    const refundCount = 20_000;
    await run(refundCount / 2);
    const after = await settledHeap();
    const perRefund = (after - before) / refundCount;
    expect(perRefund, `heap grew ${after - before} bytes over ${refundCount} refunds`).toBeLessThan(
      300,
    );
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(listenersAtStart);
  }, 120_000);
});
