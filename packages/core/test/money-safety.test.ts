/** Issue 13: the shared rules behind money-safe retries, answers, base URLs and path ids. */
import { describe, expect, it } from "vitest";
import {
  declinedInAnswer,
  isInProgressAnswer,
  isInProgressResponse,
  refundOutcomeOf,
  retryAfterMsOf,
} from "../src/answers.js";
import { apiVersionOf, normalizeBaseUrl, resolveBaseUrl } from "../src/config.js";
import { asNetworkError, RefundError, refundError, withIdempotencyKey } from "../src/errors.js";
import { claimKey, createKeyMemory } from "../src/key-memory.js";
import { guardedPathSerializer } from "../src/validate.js";

function thrown(run: () => unknown): RefundError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RefundError);
    return error as RefundError;
  }
  throw new Error("expected a RefundError");
}

describe("RefundError carries the idempotency key and Retry-After", () => {
  it("in its fields and toJSON, null by default", () => {
    const plain = refundError("sezzle", "provider_error", "x");
    expect(plain).toMatchObject({ idempotencyKey: null, retryAfterMs: null, refundId: null });
    const keyed = refundError("sezzle", "rate_limited", "x", {
      idempotencyKey: "k-1",
      retryAfterMs: 2000,
      retryable: true,
    });
    expect(keyed.toJSON()).toMatchObject({ idempotencyKey: "k-1", retryAfterMs: 2000 });
  });

  it("asNetworkError sets the key on errors from below (timeouts) and on its own", () => {
    const timeout = refundError("optty", "timeout", "slow", { retryable: true });
    const keyed = thrown(() => asNetworkError("optty", "m", undefined, "k-2")(timeout));
    expect(keyed).toMatchObject({ code: "timeout", retryable: true, idempotencyKey: "k-2" });
    expect(keyed.message).toBe(timeout.message);
    // One token failure reaches every waiting refund: each gets its own key, none is changed.
    const other = thrown(() => asNetworkError("optty", "m", undefined, "k-9")(timeout));
    expect(other.idempotencyKey).toBe("k-9");
    expect(timeout.idempotencyKey).toBeNull();
    const wrapped = thrown(() => asNetworkError("optty", "m", undefined, "k-3")(new TypeError()));
    expect(wrapped).toMatchObject({ code: "network_error", idempotencyKey: "k-3" });
  });

  it("withIdempotencyKey never overwrites a key already set", () => {
    const error = refundError("moyasar", "timeout", "x", { idempotencyKey: "first" });
    expect(withIdempotencyKey(error, "second").idempotencyKey).toBe("first");
  });

  it("retryAfterMsOf reads seconds and HTTP-dates; null when absent", () => {
    expect(retryAfterMsOf(new Response(null, { headers: { "Retry-After": "3" } }))).toBe(3000);
    expect(retryAfterMsOf(new Response(null))).toBeNull();
  });
});

describe("in progress: one rule", () => {
  it("409, or a 400/422/423/425 saying the request is still being processed", () => {
    expect(isInProgressAnswer(409, "")).toBe(true);
    expect(isInProgressAnswer(400, '{"message":"Initial request is still processing."}')).toBe(
      true,
    );
    expect(isInProgressAnswer(400, "request in progress")).toBe(true);
    expect(isInProgressAnswer(400, "bad request")).toBe(false);
    expect(isInProgressAnswer(500, "in progress")).toBe(false);
  });

  it("reads a response", async () => {
    expect(await isInProgressResponse(new Response("[]", { status: 409 }))).toBe(true);
    expect(
      await isInProgressResponse(
        new Response('{"message":"Initial request is still processing."}', { status: 400 }),
      ),
    ).toBe(true);
    expect(await isInProgressResponse(new Response("{}", { status: 400 }))).toBe(false);
  });
});

describe("a 2xx that says the refund failed", () => {
  it("failure words in any case are failed; success words succeeded; unknown pending", () => {
    for (const word of ["rejected", "FAILED", "Declined", "cancelled", "CANCELED", " failed "]) {
      expect(refundOutcomeOf(word, ["approved"])).toBe("failed");
    }
    expect(refundOutcomeOf("APPROVED", ["approved"])).toBe("succeeded");
    expect(refundOutcomeOf("on_hold", ["approved"])).toBe("pending");
    expect(refundOutcomeOf(undefined, ["approved"])).toBe("pending");
  });

  it("declinedInAnswer: declined, not retryable, raw and refund id kept", () => {
    const error = declinedInAnswer("briqpay", {
      orderId: "o",
      status: 201,
      word: "rejected",
      raw: { status: "rejected" },
      refundId: "r-1",
      idempotencyKey: null,
    });
    expect(error).toMatchObject({
      code: "declined",
      status: 201,
      retryable: false,
      refundId: "r-1",
      raw: { status: "rejected" },
    });
  });
});

describe("key memory", () => {
  it("refuses a key reused with other parameters, before sending", () => {
    const memory = createKeyMemory(10);
    claimKey("sezzle", memory, "rk-7", { orderId: "a", amount: 1000 });
    claimKey("sezzle", memory, "rk-7", { orderId: "a", amount: 1000 });
    const error = thrown(() => claimKey("sezzle", memory, "rk-7", { orderId: "a", amount: 4000 }));
    expect(error).toMatchObject({ code: "invalid_request", status: null, idempotencyKey: "rk-7" });
  });

  it("forgets a key the provider refused outright, keeps one whose outcome is unknown", () => {
    const memory = createKeyMemory(10);
    const refused = claimKey("optty", memory, "k", { amount: 1 });
    refused.failed(refundError("optty", "amount_exceeds_refundable", "x", { status: 400 }));
    expect(() => claimKey("optty", memory, "k", { amount: 2 })).not.toThrow();
    const unknown = claimKey("optty", memory, "u", { amount: 1 });
    unknown.failed(refundError("optty", "timeout", "x", { retryable: true }));
    expect(() => claimKey("optty", memory, "u", { amount: 2 })).toThrow(RefundError);
  });

  it("is bounded: the least recently used key is forgotten", () => {
    const memory = createKeyMemory(3);
    for (let i = 0; i < 100; i++) memory.claim(`k${i}`, "x");
    expect(memory.size).toBe(3);
    expect(memory.claim("k0", "other")).not.toBe("mismatch");
    expect(memory.claim("k99", "other")).toBe("mismatch");
  });
});

describe("base URLs: one rule for every provider", () => {
  const inPaths = apiVersionOf({ sandbox: "https://s.example", production: "https://p.example" }, [
    "/v2/order/{id}/refund",
    "/v2/authentication",
  ]);
  const inBase = apiVersionOf(
    { sandbox: "https://s.example/v3", production: "https://p.example/v3" },
    ["/session/{id}/order/refund"],
  );

  it("finds the version in the paths or in the servers, or none", () => {
    expect(inPaths).toEqual({ segment: "v2", in: "paths" });
    expect(inBase).toEqual({ segment: "v3", in: "base" });
    expect(apiVersionOf({ sandbox: "https://s.example" }, ["/orders/{id}/refund"])).toBeUndefined();
  });

  it("with or without the version, with or without a trailing slash", () => {
    for (const url of ["http://h:1/p", "http://h:1/p/", "http://h:1/p/v2", "http://h:1/p/v2/"]) {
      expect(normalizeBaseUrl("sezzle", "baseUrl", url, inPaths)).toBe("http://h:1/p");
    }
    for (const url of ["http://h:1", "http://h:1/", "http://h:1/v3", "http://h:1/v3//"]) {
      expect(normalizeBaseUrl("briqpay", "baseUrl", url, inBase)).toBe("http://h:1/v3");
    }
  });

  it("refuses another version segment instead of sending to a wrong path", () => {
    const error = thrown(() =>
      resolveBaseUrl(
        "sezzle",
        { baseUrl: "https://h/v1" },
        { sandbox: "a", production: "b" },
        inPaths,
      ),
    );
    expect(error).toMatchObject({ code: "invalid_request" });
    expect(error.message).toMatch(/v1.*v2/);
  });
});

describe("guardedPathSerializer", () => {
  // openapi-fetch's defaultPathSerializer for simple parameters; the clients pass the real one.
  const simple = (path: string, params: Record<string, unknown>) =>
    path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  const serialize = guardedPathSerializer("sezzle", simple);

  it.each(["", ".", "..", "a/b", "a?b", "a#b", "a%2Fb", "a\u0000b", "a\nb"])(
    "refuses %j before a request is built",
    (id) => {
      expect(
        thrown(() => serialize("/v2/order/{order_uuid}/refund", { order_uuid: id })),
      ).toMatchObject({ code: "invalid_request", provider: "sezzle" });
    },
  );

  it("refuses a parameter the path names but the call left out", () => {
    expect(thrown(() => serialize("/v2/order/{order_uuid}/refund", {})).code).toBe(
      "invalid_request",
    );
  });

  it("serializes safe ids as openapi-fetch does", () => {
    expect(serialize("/v2/order/{order_uuid}/refund", { order_uuid: "abc-1" })).toBe(
      "/v2/order/abc-1/refund",
    );
  });
});
