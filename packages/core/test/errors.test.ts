import { describe, expect, it } from "vitest";
import { isAbort } from "../src/abort.js";
import { asNetworkError, RefundError, refundError, refundErrorFor } from "../src/errors.js";
import { bodyOf, isRetryableStatus, tokenEndpointError } from "../src/http.js";

describe("refundError", () => {
  it("prefixes the provider; status null, not retryable, raw null unless given", () => {
    expect(refundError("optty", "unsupported", "no").toJSON()).toEqual({
      name: "RefundError",
      code: "unsupported",
      provider: "optty",
      status: null,
      retryable: false,
      idempotencyKey: null,
      retryAfterMs: null,
      refundId: null,
      message: "optty: no",
      raw: null,
    });
    const cause = new Error("x");
    const error = refundErrorFor("briqpay")("rate_limited", "slow", {
      status: 429,
      raw: { a: 1 },
      retryable: true,
      cause,
    });
    expect(error).toMatchObject({
      provider: "briqpay",
      status: 429,
      retryable: true,
      raw: { a: 1 },
    });
    expect(error.message).toBe("briqpay: slow");
    expect(error.cause).toBe(cause);
  });
});

describe("asNetworkError", () => {
  it("passes RefundErrors and the caller's abort through, wraps the rest", () => {
    const controller = new AbortController();
    const handler = asNetworkError("sezzle", "refund of order o failed", controller.signal);
    const timeout = refundError("sezzle", "timeout", "t");
    expect(() => handler(timeout)).toThrow(timeout);
    const failure = new TypeError("boom");
    let wrapped: unknown;
    try {
      handler(failure);
    } catch (error) {
      wrapped = error;
    }
    expect(wrapped).toBeInstanceOf(RefundError);
    expect(wrapped).toMatchObject({ code: "network_error", retryable: false, status: null });
    expect((wrapped as Error).message).toBe("sezzle: refund of order o failed");
    expect((wrapped as Error).cause).toBe(failure);
    controller.abort();
    expect(isAbort(controller.signal.reason, controller.signal)).toBe(true);
    expect(() => handler(controller.signal.reason)).toThrow(controller.signal.reason);
  });
});

describe("bodyOf", () => {
  it("parses JSON, keeps other text, reads absent as empty", async () => {
    expect(await bodyOf('{"a":1}')).toEqual({ a: 1 });
    expect(await bodyOf("<html>")).toBe("<html>");
    expect(await bodyOf("  ")).toBe("  ");
    expect(await bodyOf("")).toBe("");
    expect(await bodyOf(undefined)).toBe("");
  });
});

describe("isRetryableStatus and tokenEndpointError", () => {
  it("408, 429 and 5xx are retryable", () => {
    expect([408, 429, 500, 503, 599].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });

  it("maps a token endpoint's answer without reading 404 as not_found", () => {
    const answer = (status: number, headers?: Record<string, string>) =>
      new Response(null, { status, headers });
    const refused = tokenEndpointError("optty", "POST /token", answer(401), { m: 1 }, "the keys");
    expect(refused).toMatchObject({
      code: "authentication_failed",
      status: 401,
      raw: { m: 1 },
      retryAfterMs: null,
    });
    expect(refused.message).toBe("optty: POST /token answered 401: the keys were not accepted");
    expect(tokenEndpointError("optty", "POST /token", answer(404), null, "k").code).toBe(
      "provider_error",
    );
    expect(
      tokenEndpointError("optty", "POST /token", answer(429, { "retry-after": "90" }), null, "k"),
    ).toMatchObject({ code: "rate_limited", retryable: true, retryAfterMs: 90_000 });
  });
});
