/**
 * One rule for "retryable status": for every status from 400 to 599, the resilient fetch retries
 * an idempotent request exactly when `isRetryableStatus` (what adapters report as `retryable`)
 * says so. A 501 used to be reported retryable but never retried.
 */
import { describe, expect, it } from "vitest";
import { isRetryableStatus } from "../src/http.js";
import { createResilientFetch } from "../src/resilient-fetch.js";

describe("retryable statuses", () => {
  it("are retried exactly when reported retryable, for every 4xx and 5xx", async () => {
    const mismatches: number[] = [];
    for (let status = 400; status <= 599; status++) {
      let sent = 0;
      const fetch = createResilientFetch({
        provider: "sezzle",
        fetch: async () => {
          sent += 1;
          return new Response(null, { status });
        },
        isIdempotent: () => true,
        maxRetries: 1,
        sleep: () => Promise.resolve(),
      });
      const response = await fetch("https://api.example.com/v2/order/o1/refund", {
        method: "POST",
        body: "{}",
      });
      expect(response.status).toBe(status);
      if (sent > 1 !== isRetryableStatus(status)) mismatches.push(status);
    }
    expect(mismatches).toEqual([]);
  });

  it("includes the transient ones and leaves out the permanent ones", () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 501, 505].some(isRetryableStatus)).toBe(false);
  });
});
