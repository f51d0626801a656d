import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RefundError } from "../src/errors.js";
import {
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  newIdempotencyKey,
} from "../src/validate.js";

function refusal(check: () => void): RefundError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(RefundError);
    return error as RefundError;
  }
  throw new Error("expected the check to throw");
}

function expectInvalid(check: () => void, field: string): void {
  const error = refusal(check);
  expect(error.code).toBe("invalid_request");
  expect(error.retryable).toBe(false);
  expect(error.status).toBeNull();
  expect(error.provider).toBe("sezzle");
  expect(error.message).toContain(field);
}

describe("assertAmount", () => {
  it("accepts positive safe integers", () => {
    for (const amount of [1, 2498, Number.MAX_SAFE_INTEGER]) {
      expect(() => assertAmount("sezzle", amount)).not.toThrow();
    }
  });

  it("refuses everything else, naming the field", () => {
    for (const amount of [
      0,
      -1,
      24.98,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
      "2498",
      2498n,
      null,
      undefined,
    ]) {
      expectInvalid(() => assertAmount("sezzle", amount), "amount");
    }
  });
});

describe("assertCurrency", () => {
  it("accepts upper-case ISO 4217 codes", () => {
    for (const code of ["USD", "JPY", "KWD", "SAR", "SEK"]) {
      expect(() => assertCurrency("sezzle", code)).not.toThrow();
    }
  });

  it("refuses unknown, lower-case and non-string codes", () => {
    for (const code of ["usd", "US", "ABC", "XAU", "", " USD", 840, undefined]) {
      expectInvalid(() => assertCurrency("sezzle", code), "currency");
    }
    expect(refusal(() => assertCurrency("sezzle", "usd")).message).toContain('"USD"');
  });
});

describe("assertPathId", () => {
  it("accepts real provider ids", () => {
    for (const id of [
      "0ad8bb13-d5c4-4c6c-b8d9-8e3e5bb1a2ce",
      "ORDER_123",
      "ord.2024.05",
      "session:abc~1",
      "a",
      "a".repeat(255),
    ]) {
      expect(() => assertPathId("sezzle", "orderId", id)).not.toThrow();
    }
  });

  it("refuses ids that could change the path or query", () => {
    for (const id of [
      "",
      "..",
      ".",
      "a..b",
      "../admin",
      "a/b",
      "a%2Fb",
      "%2e%2e",
      "a?b=1",
      "a#frag",
      "a b",
      "a\\b",
      "-leading",
      ".hidden",
      "~x",
      "é",
      "a\n",
      "a".repeat(256),
      123,
      null,
    ]) {
      expectInvalid(() => assertPathId("sezzle", "orderId", id), "orderId");
    }
  });

  it("property: no accepted id changes the path of a URL template", () => {
    const tricky = fc.constantFrom(..."aZ09._~:-/\\?#%&=@!$'()*+,; \t\n\u0000é\u2028".split(""));
    const allowedAlphabet = fc.constantFrom(..."aZ09._~:-".split(""));
    const candidate = fc.oneof(
      fc.string({ unit: allowedAlphabet, minLength: 1, maxLength: 20 }),
      fc.string({ unit: tricky, minLength: 1, maxLength: 20 }),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(candidate, (id) => {
        try {
          assertPathId("optty", "orderReference", id);
        } catch (error) {
          expect(error).toBeInstanceOf(RefundError);
          return;
        }
        accepted++;
        const url = new URL(`/orders/${encodeURIComponent(id)}/refund`, "https://api.example.com/");
        const segments = url.pathname.split("/").slice(1);
        expect(url.pathname.startsWith("/orders/")).toBe(true);
        expect(segments).toHaveLength(3);
        expect(segments[2]).toBe("refund");
        expect(decodeURIComponent(segments[1] ?? "")).toBe(id);
        expect(url.search).toBe("");
        expect(url.hash).toBe("");
        expect(url.host).toBe("api.example.com");
      }),
      { numRuns: 5000 },
    );
    // The property is only meaningful if many generated ids pass the check.
    expect(accepted).toBeGreaterThan(500);
  });
});

describe("assertIdempotencyKey", () => {
  it("accepts visible ASCII up to 255 characters", () => {
    for (const key of ["k", newIdempotencyKey(), "order-1:refund#2", "~".repeat(255)]) {
      expect(() => assertIdempotencyKey("sezzle", key)).not.toThrow();
    }
  });

  it("refuses empty, long, whitespace, control and non-ASCII keys", () => {
    for (const key of [
      "",
      "a".repeat(256),
      "a b",
      "a\tb",
      "a\r\nX-Injected: 1",
      "clé",
      "\u007f",
      42,
    ]) {
      expectInvalid(() => assertIdempotencyKey("sezzle", key), "idempotencyKey");
    }
  });

  it("property: every accepted key is a valid header value that survives unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", minLength: 0, maxLength: 300 }), (key) => {
        try {
          assertIdempotencyKey("sezzle", key);
        } catch {
          expect(key.length === 0 || key.length > 255 || /[^\x21-\x7E]/.test(key)).toBe(true);
          return;
        }
        expect(new Headers({ "Sezzle-Request-Id": key }).get("sezzle-request-id")).toBe(key);
      }),
    );
  });
});

describe("assertOptionalString", () => {
  it("accepts undefined and strings within the limit, with line breaks and paired surrogates", () => {
    for (const value of [
      undefined,
      "",
      "Customer changed their mind",
      "line 1\nline 2\ttab",
      "😀",
    ]) {
      expect(() => assertOptionalString("levelup", "reason", value, 30)).not.toThrow();
    }
  });

  it("refuses other types, overlong strings, control characters and lone surrogates", () => {
    const cases: unknown[] = [
      null,
      5,
      {},
      "x".repeat(31),
      "a\u0000b",
      "a\u001bb",
      "\u0085",
      "\uD83D",
      "x\uDE00",
    ];
    for (const value of cases) {
      const error = refusal(() => assertOptionalString("levelup", "reason", value, 30));
      expect(error.code).toBe("invalid_request");
      expect(error.provider).toBe("levelup");
      expect(error.message).toContain("reason");
    }
  });
});

describe("newIdempotencyKey", () => {
  it("returns distinct UUIDs", () => {
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(100);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
