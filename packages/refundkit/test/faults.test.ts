/**
 * Faults injected by @refundkit/mock, through the facade, in msw mode and over real HTTP.
 * Retries only where they cannot refund twice: Sezzle (Sezzle-Request-Id header), Optty
 * (refundReference) and MPG (transaction_id) are retried with the same handle; LevelUp and
 * Briqpay have none and are never sent twice once a request may have reached them.
 */
import type { RefundRequest } from "refundkit";
import { describe, expect, it } from "vitest";
import { type Call, expectError, IDS, MODES, refundError, useHarness } from "./harness.js";

type Idempotent = "sezzle" | "optty" | "moyasar";
type NonIdempotent = "levelup" | "briqpay";

const CURRENCY = { sezzle: "USD", optty: "AUD", moyasar: "SAR", briqpay: "SEK" } as const;

/** A refund request with a fixed handle, and how to read the handle back from a sent request. */
const IDEMPOTENT: Record<
  Idempotent,
  { request: (key: string, amount?: number) => RefundRequest; handle: (call: Call) => unknown }
> = {
  sezzle: {
    request: (key, amount = 1_000) => ({
      provider: "sezzle",
      orderId: IDS.sezzle,
      amount,
      currency: "USD",
      idempotencyKey: key,
    }),
    handle: (call) => call.headers["sezzle-request-id"],
  },
  optty: {
    request: (key, amount = 1_000) => ({
      provider: "optty",
      orderId: IDS.optty,
      amount,
      currency: "AUD",
      idempotencyKey: key,
    }),
    handle: (call) => JSON.parse(call.body).refundReference,
  },
  moyasar: {
    request: (key, amount = 1_000) => ({
      provider: "moyasar",
      orderId: IDS.moyasar,
      amount,
      currency: "SAR",
      transactionId: key,
    }),
    handle: (call) => JSON.parse(call.body).transaction_id,
  },
};

const NON_IDEMPOTENT: Record<NonIdempotent, RefundRequest> = {
  levelup: { provider: "levelup", orderId: IDS.levelup },
  briqpay: { provider: "briqpay", orderId: IDS.briqpay, amount: 1_000, currency: "SEK" },
};

const IDEMPOTENT_PROVIDERS = Object.keys(IDEMPOTENT) as Idempotent[];
const NON_IDEMPOTENT_PROVIDERS = Object.keys(NON_IDEMPOTENT) as NonIdempotent[];

describe.each(MODES)("%s mode", (mode) => {
  const h = useHarness(mode);

  function seed(provider: Idempotent | NonIdempotent, amount = 10_000) {
    if (provider === "levelup") {
      h.orders.seed({ provider, id: IDS.levelup, amount });
    } else {
      h.orders.seed({ provider, id: IDS[provider], amount, currency: CURRENCY[provider] });
    }
  }
  const ledger = (provider: Idempotent | NonIdempotent) =>
    h.orders.get(provider, IDS[provider])?.refunds ?? [];

  describe.each(IDEMPOTENT_PROVIDERS)("%s (idempotent)", (provider) => {
    const { request, handle } = IDEMPOTENT[provider];

    it("500 then success: retried with the same handle, exactly one ledger entry", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "http_500" });
      const result = await h.connect().refund(request(`${provider}-500-1`));
      expect(result).toMatchObject({
        provider,
        status: "succeeded",
        amount: 1_000,
        currency: CURRENCY[provider],
        idempotencyKey: `${provider}-500-1`,
      });
      const calls = h.refundCalls(provider);
      expect(calls).toHaveLength(2);
      expect(calls.map(handle)).toEqual([`${provider}-500-1`, `${provider}-500-1`]);
      expect(calls[1]?.body).toBe(calls[0]?.body);
      const refunds = ledger(provider);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ amount: 1_000, idempotencyKey: `${provider}-500-1` });
      expect(result.refundId).toBe(refunds[0]?.id);
    });

    it("500 on every attempt: provider_error, retryable, maxRetries + 1 attempts, nothing refunded", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "http_500", count: 5 });
      const error = await refundError(
        h.connect(undefined, { maxRetries: 2 }).refund(request(`${provider}-500-all`)),
      );
      expectError(error, { code: "provider_error", provider, status: 500, retryable: true });
      if (provider === "optty") {
        expect(error.raw).toEqual({ statusCode: 500, message: "Internal server error" });
      } else {
        expect(error.raw).toEqual(expect.stringContaining("500 Internal Server Error"));
      }
      expect(h.refundCalls(provider)).toHaveLength(3);
      expect(ledger(provider)).toEqual([]);
    });

    it("connection reset after the refund was applied: retried, answered from the first, one refund", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "reset_after_commit" });
      const result = await h.connect().refund(request(`${provider}-reset-1`));
      expect(result).toMatchObject({
        status: "succeeded",
        amount: 1_000,
        idempotencyKey: `${provider}-reset-1`,
      });
      expect(h.refundCalls(provider).map(handle)).toEqual([
        `${provider}-reset-1`,
        `${provider}-reset-1`,
      ]);
      const refunds = ledger(provider);
      expect(refunds).toHaveLength(1);
      expect(result.refundId).toBe(refunds[0]?.id);
    });

    it("429 with Retry-After: 1 is honoured, then the refund succeeds once", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "rate_limit", retryAfterSeconds: 1 });
      const started = Date.now();
      const result = await h.connect().refund(request(`${provider}-429-1`));
      expect(result).toMatchObject({ status: "succeeded", amount: 1_000 });
      const calls = h.refundCalls(provider);
      expect(calls).toHaveLength(2);
      expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(calls.map(handle)).toEqual([`${provider}-429-1`, `${provider}-429-1`]);
      expect(ledger(provider)).toHaveLength(1);
    });

    it("429 on every attempt: rate_limited, retryable", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "rate_limit", count: 5, retryAfterSeconds: 0 });
      const error = await refundError(
        h.connect(undefined, { maxRetries: 1 }).refund(request(`${provider}-429-all`)),
      );
      expectError(error, { code: "rate_limited", provider, status: 429, retryable: true });
      expect(h.refundCalls(provider)).toHaveLength(2);
      expect(ledger(provider)).toEqual([]);
    });

    it("a hanging attempt times out and is retried with the same handle", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "hang" });
      const result = await h
        .connect(undefined, { timeoutMs: 300 })
        .refund(request(`${provider}-hang-1`));
      expect(result).toMatchObject({ status: "succeeded", idempotencyKey: `${provider}-hang-1` });
      expect(h.refundCalls(provider).map(handle)).toEqual([
        `${provider}-hang-1`,
        `${provider}-hang-1`,
      ]);
      expect(ledger(provider)).toHaveLength(1);
    });

    it("every attempt hangs: timeout, retryable, status null, nothing refunded", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "hang", count: 5 });
      const started = Date.now();
      const error = await refundError(
        h
          .connect(undefined, { timeoutMs: 200, maxRetries: 1 })
          .refund(request(`${provider}-hang-all`)),
      );
      expectError(error, { code: "timeout", provider, status: null, retryable: true });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(h.refundCalls(provider)).toHaveLength(2);
      expect(ledger(provider)).toEqual([]);
    });

    it("malformed JSON in a 2xx: a result (never an error), raw is the text, not resent", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "malformed_json" });
      const result = await h.connect().refund(request(`${provider}-malformed`));
      expect(["succeeded", "pending"]).toContain(result.status);
      expect(result).toMatchObject({
        provider,
        orderId: IDS[provider],
        idempotencyKey: `${provider}-malformed`,
      });
      expect(typeof result.raw).toBe("string");
      expect(() => JSON.parse(result.raw as string)).toThrow();
      expect(h.refundCalls(provider)).toHaveLength(1);
      expect(ledger(provider)).toHaveLength(1);
    });
  });

  describe.each(NON_IDEMPOTENT_PROVIDERS)("%s (no idempotency handle)", (provider) => {
    const request = NON_IDEMPOTENT[provider];

    it("500: provider_error, not retried (one request), not retryable", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "http_500", count: 3 });
      const error = await refundError(h.connect().refund(request));
      expectError(error, { code: "provider_error", provider, status: 500, retryable: false });
      expect(error.raw).toEqual(expect.stringContaining("500 Internal Server Error"));
      expect(h.refundCalls(provider)).toHaveLength(1);
      expect(ledger(provider)).toEqual([]);
    });

    it("503: provider_error, not retried", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "http_503", count: 3 });
      const error = await refundError(h.connect().refund(request));
      expectError(error, { code: "provider_error", provider, status: 503, retryable: false });
      expect(h.refundCalls(provider)).toHaveLength(1);
    });

    it("connection reset after commit: network_error, not retryable, and the refund did happen", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "reset_after_commit" });
      const error = await refundError(h.connect().refund(request));
      expectError(error, { code: "network_error", provider, status: null, retryable: false });
      expect(h.refundCalls(provider)).toHaveLength(1);
      const refunds = ledger(provider);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]?.amount).toBe(provider === "levelup" ? 10_000 : 1_000);
    });

    it("429: rate_limited and retryable (nothing was done), but not retried automatically", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "rate_limit", retryAfterSeconds: 1 });
      const error = await refundError(h.connect().refund(request));
      expectError(error, { code: "rate_limited", provider, status: 429, retryable: true });
      expect(h.refundCalls(provider)).toHaveLength(1);
      expect(ledger(provider)).toEqual([]);
    });

    it("hang: timeout, not retryable, one request", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "hang", count: 3 });
      const started = Date.now();
      const error = await refundError(h.connect(undefined, { timeoutMs: 200 }).refund(request));
      expectError(error, { code: "timeout", provider, status: null, retryable: false });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(h.refundCalls(provider)).toHaveLength(1);
      expect(ledger(provider)).toEqual([]);
    });

    it("malformed JSON in a 2xx: a result with raw the text, the ledger has the refund", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "malformed_json" });
      const result = await h.connect().refund(request);
      expect(result).toMatchObject({ provider, orderId: IDS[provider], idempotencyKey: null });
      expect(typeof result.raw).toBe("string");
      expect(() => JSON.parse(result.raw as string)).toThrow();
      expect(h.refundCalls(provider)).toHaveLength(1);
      expect(ledger(provider)).toHaveLength(1);
    });
  });

  describe("the caller's AbortSignal", () => {
    it("aborting a hanging refund rejects with the caller's reason at once, no retry", async () => {
      seed("sezzle");
      h.faults.inject({ provider: "sezzle", kind: "hang", count: 3 });
      const controller = new AbortController();
      const reason = new Error("user cancelled");
      const pending = h
        .connect(undefined, { timeoutMs: 5_000 })
        .refund({ ...IDEMPOTENT.sezzle.request("sz-abort"), signal: controller.signal });
      setTimeout(() => controller.abort(reason), 100);
      const started = Date.now();
      await expect(pending).rejects.toBe(reason);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(h.refundCalls("sezzle")).toHaveLength(1);
      expect(ledger("sezzle")).toEqual([]);
    });

    it("aborting during a Retry-After wait rejects at once without another attempt", async () => {
      seed("optty");
      h.faults.inject({ provider: "optty", kind: "rate_limit", retryAfterSeconds: 1 });
      const controller = new AbortController();
      const pending = h
        .connect()
        .refund({ ...IDEMPOTENT.optty.request("op-abort"), signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      const started = Date.now();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      expect(Date.now() - started).toBeLessThan(700);
      expect(h.refundCalls("optty")).toHaveLength(1);
      expect(ledger("optty")).toEqual([]);
    });

    it.each(["sezzle", "optty", "levelup", "moyasar", "briqpay"] as const)(
      "%s: an already-aborted signal sends no refund request",
      async (provider) => {
        seed(provider);
        const controller = new AbortController();
        const reason = new Error("already cancelled");
        controller.abort(reason);
        const request =
          provider === "levelup" || provider === "briqpay"
            ? NON_IDEMPOTENT[provider]
            : IDEMPOTENT[provider].request(`${provider}-pre-aborted`);
        await expect(
          h.connect().refund({ ...request, signal: controller.signal } as RefundRequest),
        ).rejects.toBe(reason);
        expect(h.refundCalls(provider)).toHaveLength(0);
        expect(ledger(provider)).toEqual([]);
      },
    );
  });
});
