/**
 * The returned response's body is read under the attempt's deadline and the caller's signal, and
 * once it is in nothing of the call stays armed: no timer, no listener on the caller's signal.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { createResilientFetch } from "../src/resilient-fetch.js";

const URL_ = "https://api.example.com/v2/order/o1/refund";
const stalledBody = () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"uuid":'));
      },
    }),
    { status: 200 },
  );

describe("the response body", () => {
  it("a stalled body ends at the attempt's deadline, even with a fetch that ignores signals", async () => {
    const fetch = createResilientFetch({
      provider: "sezzle",
      fetch: async () => stalledBody(),
      isIdempotent: () => true,
      timeoutMs: 50,
    });
    const response = await fetch(URL_, { method: "POST", body: "{}" });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("the caller's abort ends a body still arriving, with the caller's reason", async () => {
    const caller = new AbortController();
    const fetch = createResilientFetch({
      provider: "sezzle",
      fetch: async () => stalledBody(),
      isIdempotent: () => true,
      timeoutMs: 60_000,
    });
    const response = await fetch(URL_, { method: "POST", body: "{}", signal: caller.signal });
    const reading = response.text();
    const reason = new Error("shutting down");
    caller.abort(reason);
    await expect(reading).rejects.toBe(reason);
  });

  it("once read, no listener is left on the caller's signal", async () => {
    const caller = new AbortController();
    const fetch = createResilientFetch({
      provider: "sezzle",
      fetch: async () => Response.json({ uuid: "r-1" }),
      isIdempotent: () => true,
    });
    for (let i = 0; i < 50; i++) {
      const response = await fetch(URL_, { method: "POST", body: "{}", signal: caller.signal });
      expect(await response.json()).toEqual({ uuid: "r-1" });
    }
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });
});
