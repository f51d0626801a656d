/**
 * Property-based tests (fast-check) through the facade against @refundkit/mock (msw mode):
 * - money: any integer minor amount reaches the mock's ledger as exactly that amount (Optty sends
 *   decimal major units, so this is where float drift would show), and comes back in the result;
 * - input validation: for arbitrary ids, keys, reasons, currencies and amounts, refund() either
 *   refuses with RefundError invalid_request/unsupported and sends nothing, or sends exactly one
 *   request to the provider's refund path (the id as one path segment) with a body that validates
 *   against the provider's spec.
 */
import { createSpecValidator, documents, type SpecValidator } from "@refundkit/mock";
import fc from "fast-check";
import { type ProviderName, RefundError, type RefundRequest } from "refundkit";
import { describe, expect, it } from "vitest";
import { IDS, REFUND_OPERATIONS, REFUND_PATHS, useHarness } from "./harness.js";

const EXPONENT: Record<string, number> = {
  AUD: 2,
  USD: 2,
  NZD: 2,
  EUR: 2,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  BHD: 3,
};

/** The exact decimal string of `minor` units with `exponent` digits, in integer arithmetic. */
function decimal(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, "0");
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const validators: Record<ProviderName, SpecValidator> = {
  sezzle: createSpecValidator(documents.sezzle),
  optty: createSpecValidator(documents.optty),
  levelup: createSpecValidator(documents.levelup),
  moyasar: createSpecValidator(documents.moyasar),
  briqpay: createSpecValidator(documents.briqpay),
};

const h = useHarness("msw");

describe("money round trips", () => {
  it("Optty: any integer minor amount is recorded by the mock exactly, and reported back exactly", async () => {
    const refunds = h.connect();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(1, 7, 10, 99, 100, 2_498, 1_999_999, 123_456_789),
          fc.integer({ min: 1, max: 100_000 }),
          fc.integer({ min: 1, max: 10 ** 13 }),
          fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        ),
        fc.constantFrom("AUD", "USD", "NZD", "EUR", "JPY", "KRW", "KWD", "BHD"),
        async (amount, currency) => {
          run += 1;
          const orderId = `money-${run}`;
          h.orders.seed({ provider: "optty", id: orderId, amount, currency });
          const before = h.refundCalls("optty").length;
          const outcome = await refunds
            .refund({ provider: "optty", orderId, amount, currency })
            .then(
              (result) => ({ ok: true as const, result }),
              (error: unknown) => ({ ok: false as const, error }),
            );
          const exponent = EXPONENT[currency] ?? 2;
          const sent = h.refundCalls("optty").slice(before);
          if (!outcome.ok) {
            // Only amounts Optty cannot take as a 2-decimal JSON number exactly may be refused.
            expect(outcome.error).toBeInstanceOf(RefundError);
            expect(outcome.error).toMatchObject({ code: "invalid_request", status: null });
            const needsThirdDecimal = exponent === 3 && amount % 10 !== 0;
            const tooLongForADouble = decimal(amount, exponent).replace(".", "").length > 15;
            expect(needsThirdDecimal || tooLongForADouble).toBe(true);
            expect(sent).toHaveLength(0);
            expect(h.orders.get("optty", orderId)?.refunds).toEqual([]);
            return;
          }
          expect(outcome.result).toMatchObject({ status: "succeeded", amount, currency });
          expect(sent).toHaveLength(1);
          const wire = JSON.parse(sent[0]?.body ?? "").refundAmount;
          expect(wire).toEqual({ amount: Number(decimal(amount, exponent)), currency });
          const refundsOf = h.orders.get("optty", orderId)?.refunds ?? [];
          expect(refundsOf.map((r) => r.amount)).toEqual([amount]);
        },
      ),
      {
        numRuns: 300,
        examples: [
          [1, "AUD"],
          [7, "AUD"],
          [10, "AUD"],
          [99, "AUD"],
          [2_498, "AUD"],
          [1_999_999, "AUD"],
        ],
      },
    );
  });

  it.each([
    ["sezzle", "USD"],
    ["moyasar", "SAR"],
    ["briqpay", "SEK"],
  ] as const)(
    "%s: any integer minor amount is recorded exactly (integer on the wire)",
    async (provider, currency) => {
      const refunds = h.connect();
      h.orders.seed({ provider, id: IDS[provider], amount: Number.MAX_SAFE_INTEGER, currency });
      let total = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 10 ** 12 }), async (amount) => {
          const result = await refunds.refund({
            provider,
            orderId: IDS[provider],
            amount,
            currency,
          } as RefundRequest);
          total += amount;
          expect(result.amount).toBe(amount);
          const order = h.orders.get(provider, IDS[provider]);
          expect(order?.refunds.at(-1)?.amount).toBe(amount);
          expect(order?.refundedAmount).toBe(total);
        }),
        { numRuns: 100 },
      );
    },
  );
});

describe("input validation: nothing malformed ever leaves", () => {
  const NASTY_IDS = [
    "",
    ".",
    "..",
    "../x",
    "a/../../b",
    "a/b",
    "a?b=1",
    "a#b",
    "%2e%2e",
    "a%2Fb",
    "%",
    " a",
    "a ",
    "a\nb",
    "a\u0000b",
    "é",
    "\ud800",
    "a".repeat(256),
    "-leading-dash",
    "~tilde",
    "a..b",
    "a:b",
  ];
  const anyString = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
  );
  const idFor = (provider: ProviderName) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<string>(IDS[provider]) },
      { weight: 1, arbitrary: fc.uuid().map(String) },
      { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~:-]{0,30}$/) },
      { weight: 2, arbitrary: fc.constantFrom(...NASTY_IDS) },
      { weight: 2, arbitrary: anyString },
    );
  const amount = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: -1_000, max: 0 }) },
    { weight: 1, arbitrary: fc.double() },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        2 ** 53,
        1e21,
        -0,
        0.1,
        10.5,
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string(),
        fc.constant(null),
        fc.constant(undefined),
        fc.boolean(),
        fc.bigInt(),
      ),
    },
  );
  const currencyFor = (valid: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant<unknown>(valid) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<unknown>(
          "usd",
          "XYZ",
          "",
          "US",
          "USDD",
          "EUR",
          "JPY",
          "KWD",
          undefined,
          840,
        ),
      },
      { weight: 1, arbitrary: anyString },
    );
  const optionalString = fc.oneof(
    { weight: 3, arbitrary: fc.constant<unknown>(undefined) },
    { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,60}$/) },
    { weight: 2, arbitrary: anyString },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>("", "a b", "a\r\nX: 1", "x".repeat(300), 42, null),
    },
  );

  const CURRENCY: Record<ProviderName, string> = {
    sezzle: "USD",
    optty: "AUD",
    levelup: "USD",
    moyasar: "SAR",
    briqpay: "SEK",
  };

  function requestArbitrary(provider: ProviderName): fc.Arbitrary<Record<string, unknown>> {
    const base = {
      orderId: idFor(provider),
      amount:
        provider === "levelup"
          ? fc.oneof(
              { weight: 5, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: amount },
            )
          : amount,
      currency: currencyFor(CURRENCY[provider]),
      idempotencyKey: optionalString,
      reason: optionalString,
    };
    const extra =
      provider === "levelup"
        ? { managerConfirmation: optionalString }
        : provider === "moyasar"
          ? {
              transactionId: fc.oneof(
                { weight: 4, arbitrary: fc.constant(undefined) },
                { weight: 1, arbitrary: optionalString },
              ),
            }
          : provider === "briqpay"
            ? {
                captureId: fc.oneof(
                  { weight: 4, arbitrary: fc.constant(undefined) },
                  { weight: 1, arbitrary: optionalString },
                ),
              }
            : {};
    return fc.record({ ...base, ...extra }).map((fields) => {
      // Absent, not present-and-undefined, for half of the optional fields.
      const request: Record<string, unknown> = { provider };
      for (const [key, value] of Object.entries(fields))
        if (value !== undefined) request[key] = value;
      return request;
    });
  }

  it.each(["sezzle", "optty", "levelup", "moyasar", "briqpay"] as const)(
    "%s: refused before sending, or one request to the refund path with a body the spec accepts",
    async (provider) => {
      const refunds = h.connect();
      const { operationId } = REFUND_OPERATIONS[provider];
      const [before, after] = REFUND_PATHS[provider].split("{id}") as [string, string];
      let sentCount = 0;
      let refusedCount = 0;
      await fc.assert(
        fc.asyncProperty(requestArbitrary(provider), async (request) => {
          // A fresh ledger and a large order for each run (LevelUp: one refund per order).
          h.orders.reset();
          h.orders.seed(
            provider === "levelup"
              ? { provider, id: IDS.levelup, amount: 100_000 }
              : { provider, id: IDS[provider], amount: 10 ** 9, currency: CURRENCY[provider] },
          );
          const start = h.calls.length;
          const outcome = await refunds.refund(request as unknown as RefundRequest).then(
            (result) => ({ ok: true as const, result }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          const calls = h.calls.slice(start);
          const refundCalls = calls.filter(
            (call) =>
              call.provider === provider &&
              call.path.startsWith(before) &&
              call.path.endsWith(after),
          );

          if (!outcome.ok) {
            expect(outcome.error, String(outcome.error)).toBeInstanceOf(RefundError);
            const error = outcome.error as RefundError;
            expect(error.provider).toBe(provider);
            if (error.status === null) {
              expect(["invalid_request", "unsupported"]).toContain(error.code);
              expect(calls, `refused (${error.message}) but sent`).toEqual([]);
              refusedCount += 1;
              return;
            }
          }
          // Something was sent: exactly one refund request, only to the refund path.
          sentCount += 1;
          expect(refundCalls).toHaveLength(1);
          expect(
            calls
              .filter((c) => !refundCalls.includes(c))
              .every((c) => c.path.endsWith("/token") || c.path === "/v2/authentication"),
          ).toBe(true);
          const call = refundCalls[0];
          const segment = call?.path.slice(before.length, call.path.length - after.length) ?? "";
          expect(segment).not.toMatch(/[/?#]/);
          expect(decodeURIComponent(segment)).toBe(request.orderId);
          expect(new URL(call?.url ?? "").search).toBe("");
          const body: unknown = JSON.parse(call?.body ?? "");
          expect(validators[provider].validateRequestBody(operationId, body), call?.body).toEqual({
            valid: true,
          });
          if (outcome.ok) {
            if (provider !== "levelup") {
              const ledger = h.orders.get(provider, IDS[provider])?.refunds ?? [];
              expect(ledger.map((r) => r.amount)).toEqual([request.amount]);
            }
          } else {
            const error = outcome.error as RefundError;
            // The mock refusing a body we built would have been caught by the spec check above;
            // the rest are the provider's answers about this order (not found, currency...).
            expect(["network_error", "timeout", "provider_error"]).not.toContain(error.code);
          }
        }),
        { numRuns: 300 },
      );
      // Both branches were exercised.
      expect(sentCount).toBeGreaterThan(0);
      expect(refusedCount).toBeGreaterThan(0);
    },
  );
});
