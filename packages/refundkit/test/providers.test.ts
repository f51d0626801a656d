/**
 * Every provider through the whole stack (facade -> adapter -> client -> fetch -> @refundkit/mock),
 * in msw mode and over real HTTP. The scenarios every provider shares (the first refund on the
 * wire, over-refund, already refunded, unknown order, refused and expired credentials, token
 * reuse, replay of an idempotency handle) are written once and run over a table of providers;
 * each row keeps that provider's real specifics (amounts, currencies, error bodies, wire format)
 * as data. What only one provider does follows in its own block.
 * Each case checks the whole RefundResult / RefundError and the mock's ledger afterwards.
 */
import type { MockOrder, SeedOrder } from "@refundkit/mock";
import type {
  ProviderName,
  RefundError,
  RefundErrorCode,
  RefundRequest,
  RefundResult,
  RefundsConfig,
} from "refundkit";
import { describe, expect, it } from "vitest";
import {
  type Call,
  CURRENCIES,
  expectError,
  type Harness,
  IDS,
  MISSING_IDS,
  MODES,
  refundError,
  UUID,
  useHarness,
} from "./harness.js";

const LEVELUP_ALREADY_REFUNDED =
  "The refund was unsuccessful. Perhaps this order has already been refunded or was unsuccessful.";

type Entry = MockOrder["refunds"][number];

/** A row's request for its provider, typed loosely so one table can hold all five. */
type AnyRequest = RefundRequest extends infer R
  ? R extends RefundRequest
    ? Omit<R, "provider">
    : never
  : never;

const refund = (
  refunds: ReturnType<Harness["connect"]>,
  provider: ProviderName,
  request: AnyRequest,
) => refunds.refund({ provider, ...request } as RefundRequest);

/** Table rows as `[provider, title, row]`, so test names read "sezzle: <title>" (no quotes). */
const named = <R extends { provider: string; title: string }>(rows: readonly R[]) =>
  rows.map((row) => [row.provider, row.title, row] as const);

/** The order each shared scenario starts from: the provider's own currency and amounts. */
function seedOrder(h: Harness, provider: ProviderName, amount: number, extra: object = {}) {
  h.orders.seed({
    provider,
    id: IDS[provider],
    amount,
    ...(provider === "levelup" ? {} : { currency: CURRENCIES[provider] }),
    ...extra,
  } as SeedOrder);
}

// --- The first refund, exactly: result, ledger entry and the request on the wire --------------

interface FirstRefundRow {
  provider: ProviderName;
  title: string;
  seed: { amount: number; extra?: object };
  request: AnyRequest;
  /** What the ledger recorded (toMatchObject). */
  entry: Partial<Entry>;
  /** The whole result, given the ledger entry. */
  result: (entry: Entry | undefined) => RefundResult;
  wire: {
    path: string;
    /** Header name -> exact value, a pattern, or undefined for "not sent". */
    headers: Record<string, string | RegExp | undefined>;
    /** The JSON body, parsed; or the exact text where byte order matters. */
    body: { json: unknown } | { text: string };
  };
  /** The order's refunded and refundable amounts afterwards. */
  after: { refundedAmount: number; refundableAmount: number };
}

const BRIQPAY_LINE = {
  productType: "adjustment",
  name: "Returned item",
  quantity: 1,
  quantityUnit: "pc",
  unitPrice: 1_000,
  taxRate: 0,
};

const FIRST_REFUND: FirstRefundRow[] = [
  {
    provider: "sezzle",
    title: "part of an order, with the Sezzle-Request-Id header",
    seed: { amount: 10_000 },
    request: {
      orderId: IDS.sezzle,
      amount: 2_500,
      currency: "USD",
      idempotencyKey: "sz-partial-1",
    },
    entry: { amount: 2_500, currency: "USD", idempotencyKey: "sz-partial-1" },
    result: (entry) => ({
      provider: "sezzle",
      orderId: IDS.sezzle,
      status: "succeeded",
      refundId: entry?.id ?? "?",
      amount: 2_500,
      currency: "USD",
      idempotencyKey: "sz-partial-1",
      raw: { uuid: entry?.id },
    }),
    wire: {
      path: `/v2/order/${IDS.sezzle}/refund`,
      headers: {
        "sezzle-request-id": "sz-partial-1",
        authorization: /^Bearer \S+\.\S+\.\S+$/,
      },
      body: { json: { amount_in_cents: 2_500, currency: "USD" } },
    },
    after: { refundedAmount: 2_500, refundableAmount: 7_500 },
  },
  {
    provider: "optty",
    title: "part of an order in decimal major units, with refundReference",
    seed: { amount: 2_498 },
    request: {
      orderId: IDS.optty,
      amount: 1_000,
      currency: "AUD",
      idempotencyKey: "op-partial-1",
      reason: "Damaged item",
    },
    entry: { amount: 1_000, currency: "AUD", idempotencyKey: "op-partial-1" },
    result: (entry) => ({
      provider: "optty",
      orderId: IDS.optty,
      status: "succeeded",
      refundId: entry?.id ?? "?",
      amount: 1_000,
      currency: "AUD",
      idempotencyKey: "op-partial-1",
      raw: {
        refundReference: "op-partial-1",
        bnplProvider: "KLARNA_AU",
        refundedAmount: 10,
        refundStatus: "SUCCESSFUL",
        description: {},
        refundDate: expect.any(String),
        bnplRefundId: entry?.id,
      },
    }),
    wire: {
      path: `/orders/${IDS.optty}/refund`,
      headers: { authorization: /^Bearer \S+$/ },
      body: {
        text: '{"refundReference":"op-partial-1","refundAmount":{"amount":10,"currency":"AUD"},"refundDescription":"Damaged item"}',
      },
    },
    after: { refundedAmount: 1_000, refundableAmount: 1_498 },
  },
  {
    provider: "levelup",
    title: "the whole order without an amount: refundId and idempotencyKey null",
    seed: { amount: 1_500, extra: { tipAmount: 200 } },
    request: { orderId: IDS.levelup },
    entry: { amount: 1_500, idempotencyKey: null },
    result: () => ({
      provider: "levelup",
      orderId: IDS.levelup,
      status: "succeeded",
      refundId: null,
      amount: 1_500,
      currency: "USD",
      idempotencyKey: null,
      raw: {
        order: expect.objectContaining({
          uuid: IDS.levelup,
          total_amount: 1_500,
          tip_amount: 200,
          spend_amount: 1_300,
          refunded_at: expect.any(String),
        }),
      },
    }),
    wire: {
      path: `/v14/orders/${IDS.levelup}/refund`,
      headers: { authorization: "token levelup-mock-token" },
      body: { json: { refund: {} } },
    },
    after: { refundedAmount: 1_500, refundableAmount: 0 },
  },
  {
    provider: "moyasar",
    title: "part of an order; transaction_id is the handle, the refundId and the ledger id",
    seed: { amount: 262_346 },
    request: { orderId: IDS.moyasar, amount: 10_000, currency: "SAR", transactionId: "mpg-tx-1" },
    entry: { id: "mpg-tx-1", amount: 10_000, idempotencyKey: "mpg-tx-1" },
    result: () => ({
      provider: "moyasar",
      orderId: IDS.moyasar,
      status: "succeeded",
      refundId: "mpg-tx-1",
      amount: 10_000,
      currency: "SAR",
      idempotencyKey: "mpg-tx-1",
      raw: expect.objectContaining({
        id: IDS.moyasar,
        currency: "SAR",
        refunded_amount: 10_000,
        transactions: expect.arrayContaining([
          expect.objectContaining({ id: "mpg-tx-1", type: "refund", amount: 10_000 }),
        ]),
      }),
    }),
    wire: {
      path: `/v1/orders/${IDS.moyasar}/refund`,
      headers: { authorization: "Bearer sk_test_mock", "x-refundkit-idempotent": undefined },
      body: { json: { amount: 10_000, transaction_id: "mpg-tx-1" } },
    },
    after: { refundedAmount: 10_000, refundableAmount: 252_346 },
  },
  {
    provider: "briqpay",
    title: "an amount as one adjustment line: pending, holding its amount",
    seed: { amount: 3_000 },
    request: { orderId: IDS.briqpay, amount: 1_000, currency: "SEK", reason: "Returned item" },
    entry: { amount: 1_000, status: "pending", idempotencyKey: null },
    result: (entry) => ({
      provider: "briqpay",
      orderId: IDS.briqpay,
      status: "pending",
      refundId: entry?.id ?? "?",
      amount: 1_000,
      currency: "SEK",
      idempotencyKey: null,
      raw: expect.objectContaining({
        refundId: entry?.id,
        status: "pending",
        amountIncVat: 1_000,
        amountExVat: 1_000,
        currency: "SEK",
        sessionId: IDS.briqpay,
        cart: [BRIQPAY_LINE],
      }),
    }),
    wire: {
      path: `/session/${IDS.briqpay}/order/refund`,
      headers: {
        authorization: `Basic ${Buffer.from("briqpay-mock-merchant:briqpay-mock-secret").toString("base64")}`,
      },
      body: {
        json: {
          data: {
            order: {
              amountIncVat: 1_000,
              amountExVat: 1_000,
              currency: "SEK",
              cart: [BRIQPAY_LINE],
            },
          },
        },
      },
    },
    // A pending refund holds its amount.
    after: { refundedAmount: 1_000, refundableAmount: 2_000 },
  },
];

// --- Refusals: over-refund, already refunded, unknown order ------------------------------------

interface RefusalRow {
  provider: ProviderName;
  title: string;
  /** The order to seed (none: the order does not exist). */
  seed?: number;
  /** Refunds that succeed first (default none). */
  before?: AnyRequest[];
  request: AnyRequest;
  code: "amount_exceeds_refundable" | "already_refunded" | "not_found" | "invalid_request";
  status: number;
  /** The provider's error body, exactly. */
  raw: unknown;
}

/** A request for `amount` (minor units) of the provider's seeded order, in its currency. */
const amountOf = (provider: ProviderName, amount: number): AnyRequest =>
  ({ orderId: IDS[provider], amount, currency: CURRENCIES[provider] }) as AnyRequest;

/** How a provider answers a refund of more than is left: its status and error body, exactly. */
type ExceedsAnswer = Pick<RefusalRow, "status" | "raw">;

const SEZZLE_EXCEEDS: ExceedsAnswer = {
  status: 422,
  raw: [{ code: "invalid", message: "refund amount exceeds the remaining captured amount" }],
};
/** Optty names what is left in major units, as its message writes it ("14.98"). */
const opttyExceeds = (upTo: string): ExceedsAnswer => ({
  status: 400,
  raw: {
    statusCode: 400,
    message: `You can only refund amount up to AUD ${upTo}`,
    error: "Bad Request",
  },
});
/** MPG names the refundable amount in minor units. */
const moyasarExceeds = (refundable: number): ExceedsAnswer => ({
  status: 422,
  raw: {
    message: "Data validation failed",
    errors: {
      amount: [`The amount must be less than or equal to the refundable amount (${refundable}).`],
    },
  },
});
const BRIQPAY_EXCEEDS: ExceedsAnswer = {
  status: 400,
  raw: {
    error: {
      code: "REFUND_NOT_ALLOWED",
      message: "refund amount exceeds the remaining captured amount",
    },
  },
};

/**
 * An amount_exceeds_refundable row: an order of `seed` in the provider's currency, the `before`
 * amounts refunded first, then `amount` refused with `answer`.
 */
function exceeds(
  provider: ProviderName,
  title: string,
  refunds: { seed: number; before?: number[]; amount: number },
  answer: ExceedsAnswer,
): RefusalRow {
  return {
    provider,
    title,
    seed: refunds.seed,
    ...(refunds.before && { before: refunds.before.map((amount) => amountOf(provider, amount)) }),
    request: amountOf(provider, refunds.amount),
    code: "amount_exceeds_refundable",
    ...answer,
  };
}

const OVER_REFUND: RefusalRow[] = [
  exceeds("sezzle", "Sezzle's error array", { seed: 1_000, amount: 1_001 }, SEZZLE_EXCEEDS),
  exceeds(
    "optty",
    "Optty's message",
    { seed: 2_498, before: [1_000], amount: 2_000 },
    opttyExceeds("14.98"),
  ),
  exceeds(
    "moyasar",
    "MPG's validation body",
    { seed: 1_000, amount: 1_001 },
    moyasarExceeds(1_000),
  ),
  exceeds("briqpay", "REFUND_NOT_ALLOWED", { seed: 3_000, amount: 3_001 }, BRIQPAY_EXCEEDS),
];

const ALREADY_REFUNDED: RefusalRow[] = [
  exceeds(
    "sezzle",
    "a further refund is amount_exceeds_refundable",
    { seed: 1_000, before: [1_000], amount: 1 },
    SEZZLE_EXCEEDS,
  ),
  exceeds(
    "optty",
    "amount_exceeds_refundable (up to AUD 0.00)",
    { seed: 2_498, before: [2_498], amount: 1 },
    opttyExceeds("0.00"),
  ),
  {
    provider: "levelup",
    title: "already_refunded (422 base)",
    seed: 1_500,
    before: [{ orderId: IDS.levelup }],
    request: { orderId: IDS.levelup },
    code: "already_refunded",
    status: 422,
    raw: [{ error: { object: "order", property: "base", message: LEVELUP_ALREADY_REFUNDED } }],
  },
  exceeds(
    "moyasar",
    "amount_exceeds_refundable (refundable amount 0)",
    { seed: 1_000, before: [1_000], amount: 1 },
    moyasarExceeds(0),
  ),
  exceeds(
    "briqpay",
    "even while the first is pending: amount_exceeds_refundable",
    { seed: 3_000, before: [3_000], amount: 1 },
    BRIQPAY_EXCEEDS,
  ),
];

const UNKNOWN_ORDER: RefusalRow[] = [
  {
    provider: "sezzle",
    title: "not_found with record_not_found",
    request: { orderId: MISSING_IDS.sezzle, amount: 100, currency: "USD" },
    code: "not_found",
    status: 404,
    raw: [{ code: "record_not_found", message: "not found" }],
  },
  {
    provider: "optty",
    title: "not_found",
    request: { orderId: MISSING_IDS.optty, amount: 100, currency: "AUD" },
    code: "not_found",
    status: 404,
    raw: { statusCode: 404, message: "Not Found" },
  },
  {
    provider: "levelup",
    title: "not_found with LevelUp's empty body",
    request: { orderId: MISSING_IDS.levelup },
    code: "not_found",
    status: 404,
    raw: "",
  },
  {
    provider: "moyasar",
    title: "not_found",
    request: { orderId: MISSING_IDS.moyasar, amount: 100, currency: "SAR" },
    code: "not_found",
    status: 404,
    raw: { message: "Not Found" },
  },
  {
    provider: "briqpay",
    title: "Briqpay documents no 404, so invalid_request (INVALID_DATA)",
    request: { orderId: MISSING_IDS.briqpay, amount: 100, currency: "SEK" },
    code: "invalid_request",
    status: 400,
    raw: {
      error: { code: "INVALID_DATA", message: `No session found with id ${MISSING_IDS.briqpay}` },
    },
  },
];

// --- Credentials the provider refuses ----------------------------------------------------------

interface RefusedCredentialsRow {
  provider: ProviderName;
  title: string;
  seed: number;
  /** The user's config with one credential wrong. */
  config: (h: Harness) => RefundsConfig;
  request: AnyRequest;
  status: number;
  raw: unknown;
  /** Every request sent, as [provider, path]: a refused token call sends no refund. */
  calls: [Call["provider"], string][];
}

const REFUSED_CREDENTIALS: RefusedCredentialsRow[] = [
  {
    provider: "sezzle",
    title: "wrong API keys: refused by /v2/authentication, no refund request",
    seed: 10_000,
    config: (h) => ({ sezzle: { ...h.config("sezzle"), privateKey: "sz_pr_wrong" } }),
    request: { orderId: IDS.sezzle, amount: 100, currency: "USD" },
    status: 401,
    raw: [{ code: "unauthorized", message: "authorization not accepted" }],
    calls: [["sezzle", "/v2/authentication"]],
  },
  {
    provider: "optty",
    title: "wrong client secret: refused by the token endpoint, no refund request",
    seed: 2_498,
    config: (h) => ({ optty: { ...h.config("optty"), clientSecret: "wrong" } }),
    request: { orderId: IDS.optty, amount: 100, currency: "AUD" },
    status: 401,
    raw: { statusCode: 401, message: "Unauthorized" },
    calls: [["opttyAuth", "/token"]],
  },
  {
    provider: "levelup",
    title: "a token LevelUp refuses",
    seed: 1_500,
    config: (h) => ({ levelup: { ...h.config("levelup"), token: "wrong-token" } }),
    request: { orderId: IDS.levelup },
    status: 401,
    raw: [{ error: { object: "user", property: "base", message: "Authentication failed." } }],
    calls: [["levelup", `/v14/orders/${IDS.levelup}/refund`]],
  },
  {
    provider: "moyasar",
    title: "a key MPG does not accept (401)",
    seed: 262_346,
    config: (h) => ({ moyasar: { ...h.config("moyasar"), apiKey: "sk_test_wrong" } }),
    request: { orderId: IDS.moyasar, amount: 100, currency: "SAR" },
    status: 401,
    raw: { message: "Invalid authorization credentials" },
    calls: [["moyasar", `/v1/orders/${IDS.moyasar}/refund`]],
  },
  {
    provider: "briqpay",
    title: "a wrong secret (403 INVALID_CREDENTIALS)",
    seed: 3_000,
    config: (h) => ({ briqpay: { ...h.config("briqpay"), secret: "nope" } }),
    request: { orderId: IDS.briqpay, amount: 100, currency: "SEK" },
    status: 403,
    raw: { error: { code: "INVALID_CREDENTIALS", message: "Invalid credentials" } },
    calls: [["briqpay", `/session/${IDS.briqpay}/order/refund`]],
  },
];

/** Static credentials that have expired: reported, never retried, nothing refunded. */
const EXPIRED_STATIC_CREDENTIALS: Omit<RefusedCredentialsRow, "config" | "calls">[] = [
  {
    provider: "moyasar",
    title: "an expired key (401)",
    seed: 262_346,
    request: { orderId: IDS.moyasar, amount: 100, currency: "SAR" },
    status: 401,
    raw: { message: "Missing authentication information" },
  },
  {
    provider: "briqpay",
    title: "an expired secret (403 AUTH_SECRET_EXPIRED)",
    seed: 3_000,
    request: { orderId: IDS.briqpay, amount: 100, currency: "SEK" },
    status: 403,
    raw: { error: { code: "AUTH_SECRET_EXPIRED", message: expect.any(String) } },
  },
];

// --- Providers whose tokens come from a token endpoint ------------------------------------------

interface TokenRow {
  provider: "sezzle" | "optty";
  orderId: string;
  seed: number;
  currency: string;
  isTokenCall: (call: Call) => boolean;
  /** The token request: its content type and its body, decoded. */
  tokenRequest: { contentType: RegExp; body: (call: Call) => unknown; expected: unknown };
  /** Longer than a token lives on the mock's clock. */
  expireAfterMs: number;
  /** The idempotency handle a refund request carries. */
  handleOf: (call: Call) => unknown;
  /** The expired_token case: refunds made before the fault, then the refund it hits. */
  expiredToken: { before: number[]; amount: number };
}

const TOKEN_PROVIDERS: TokenRow[] = [
  {
    provider: "sezzle",
    orderId: IDS.sezzle,
    seed: 10_000,
    currency: "USD",
    isTokenCall: (call) => call.path === "/v2/authentication",
    tokenRequest: {
      contentType: /^application\/json/,
      body: (call) => JSON.parse(call.body),
      expected: { public_key: "sz_pub_mock", private_key: "sz_pr_mock" },
    },
    expireAfterMs: 3 * 60 * 60 * 1000, // Sezzle tokens live 2 h on the mock's clock
    handleOf: (call) => call.headers["sezzle-request-id"],
    expiredToken: { before: [100], amount: 200 },
  },
  {
    provider: "optty",
    orderId: IDS.optty,
    seed: 2_498,
    currency: "AUD",
    isTokenCall: (call) => call.provider === "opttyAuth",
    tokenRequest: {
      contentType: /^application\/x-www-form-urlencoded/,
      body: (call) => Object.fromEntries(new URLSearchParams(call.body)),
      expected: {
        client_id: "optty-mock-client",
        client_secret: "optty-mock-secret",
        grant_type: "client_credentials",
        scope: "api-user",
      },
    },
    expireAfterMs: 25 * 60 * 60 * 1000, // Optty tokens live 86 400 s on the mock's clock
    handleOf: (call) => JSON.parse(call.body).refundReference,
    expiredToken: { before: [], amount: 300 },
  },
];

// --- The same idempotency handle again ---------------------------------------------------------

const REPLAY: { provider: ProviderName; title: string; seed: number; request: AnyRequest }[] = [
  {
    provider: "optty",
    title: "the same refundReference",
    seed: 2_498,
    request: { orderId: IDS.optty, amount: 1_000, currency: "AUD", idempotencyKey: "op-replay" },
  },
  {
    provider: "moyasar",
    title: "the same transaction_id after completion",
    seed: 262_346,
    request: { orderId: IDS.moyasar, amount: 500, currency: "SAR", transactionId: "mpg-replay" },
  },
];

describe.each(MODES)("%s mode", (mode) => {
  const h = useHarness(mode);

  /** Refused before any request: the error (no HTTP status, not retryable) and no call made. */
  const expectNothingSent = (
    error: RefundError,
    code: RefundErrorCode,
    provider: ProviderName,
  ): void => {
    expectError(error, { code, provider, status: null, retryable: false });
    expect(h.calls).toHaveLength(0);
  };

  describe.each(named(FIRST_REFUND))("%s: the first refund, %s", (_provider, _title, row) => {
    it("is reported exactly, recorded once, and sent as documented", async () => {
      seedOrder(h, row.provider, row.seed.amount, row.seed.extra);
      const result = await refund(h.connect(), row.provider, row.request);
      const order = h.orders.get(row.provider, IDS[row.provider]);
      expect(order?.refunds).toHaveLength(1);
      const entry = order?.refunds[0];
      expect(entry).toMatchObject(row.entry);
      expect(result).toEqual(row.result(entry));
      expect(order?.refundedAmount).toBe(row.after.refundedAmount);
      expect(order?.refundableAmount).toBe(row.after.refundableAmount);

      const [call, ...more] = h.refundCalls(row.provider);
      expect(more).toHaveLength(0);
      expect(call?.method).toBe("POST");
      expect(call?.path).toBe(row.wire.path);
      for (const [name, value] of Object.entries(row.wire.headers)) {
        if (value instanceof RegExp) expect(call?.headers[name]).toMatch(value);
        else expect(call?.headers[name]).toBe(value);
      }
      if ("text" in row.wire.body) expect(call?.body).toBe(row.wire.body.text);
      else expect(JSON.parse(call?.body ?? "")).toEqual(row.wire.body.json);
    });
  });

  describe.each([
    ["over-refund", OVER_REFUND],
    ["already fully refunded", ALREADY_REFUNDED],
    ["unknown order", UNKNOWN_ORDER],
  ] as const)("%s", (_scenario, rows) => {
    it.each(named(rows))("%s: %s; nothing more refunded", async (_provider, _title, row) => {
      if (row.seed !== undefined) seedOrder(h, row.provider, row.seed);
      const refunds = h.connect();
      const before = row.before ?? [];
      for (const earlier of before) await refund(refunds, row.provider, earlier);
      const error = await refundError(refund(refunds, row.provider, row.request));
      expectError(error, {
        code: row.code,
        provider: row.provider,
        status: row.status,
        retryable: false,
      });
      expect(error.raw).toEqual(row.raw);
      // One request per refund asked for: a refusal is not sent again.
      expect(h.refundCalls(row.provider)).toHaveLength(before.length + 1);
      const refunded = h.orders.get(row.provider, row.request.orderId)?.refunds ?? [];
      expect(refunded).toHaveLength(before.length);
    });
  });

  describe("credentials the provider refuses: authentication_failed, nothing refunded", () => {
    it.each(named(REFUSED_CREDENTIALS))("%s: %s", async (_provider, _title, row) => {
      seedOrder(h, row.provider, row.seed);
      const error = await refundError(refund(h.connect(row.config(h)), row.provider, row.request));
      expectError(error, {
        code: "authentication_failed",
        provider: row.provider,
        status: row.status,
        retryable: false,
      });
      expect(error.raw).toEqual(row.raw);
      expect(h.calls.map((call) => [call.provider, call.path])).toEqual(row.calls);
      expect(h.orders.get(row.provider, IDS[row.provider])?.refunds).toEqual([]);
    });

    it.each(named(EXPIRED_STATIC_CREDENTIALS))("%s: %s, not retried", async (_p, _t, row) => {
      seedOrder(h, row.provider, row.seed);
      h.faults.inject({ provider: row.provider, kind: "expired_token" });
      const error = await refundError(refund(h.connect(), row.provider, row.request));
      expectError(error, {
        code: "authentication_failed",
        provider: row.provider,
        status: row.status,
        retryable: false,
      });
      expect(error.raw).toEqual(row.raw);
      expect(h.refundCalls(row.provider)).toHaveLength(1);
      expect(h.orders.get(row.provider, IDS[row.provider])?.refunds).toEqual([]);
    });
  });

  describe.each(TOKEN_PROVIDERS.map((row) => [row.provider, row] as const))(
    "%s: tokens from its token endpoint",
    (_provider, row) => {
      const { provider, orderId, currency } = row;
      const tokenCalls = () => h.calls.filter(row.isTokenCall);

      it("fetches a token once, reuses it, and fetches a new one when the mock's token expires", async () => {
        seedOrder(h, provider, row.seed);
        const refunds = h.connect();
        await refund(refunds, provider, { orderId, amount: 100, currency });
        await refund(refunds, provider, { orderId, amount: 100, currency });
        expect(tokenCalls()).toHaveLength(1);
        expect(tokenCalls()[0]?.headers["content-type"]).toMatch(row.tokenRequest.contentType);
        expect(row.tokenRequest.body(tokenCalls()[0] as Call)).toEqual(row.tokenRequest.expected);
        const firstToken = h.refundCalls(provider)[0]?.headers.authorization;

        h.advanceClock(row.expireAfterMs);
        const key = `${provider}-after-expiry`;
        const result = await refund(refunds, provider, {
          orderId,
          amount: 100,
          currency,
          idempotencyKey: key,
        });
        expect(result).toMatchObject({ status: "succeeded", idempotencyKey: key });
        expect(tokenCalls()).toHaveLength(2);
        // The refused request and its resend: same handle, the second with the fresh token.
        const last = h.refundCalls(provider).slice(-2);
        expect(last.map(row.handleOf)).toEqual([key, key]);
        expect(last[0]?.headers.authorization).toBe(firstToken);
        expect(last[1]?.headers.authorization).not.toBe(firstToken);
        expect(h.orders.get(provider, orderId)?.refunds.map((r) => r.amount)).toEqual([
          100, 100, 100,
        ]);
      });

      it("refreshes the token after the mock's expired_token answer and refunds once", async () => {
        const { before, amount } = row.expiredToken;
        seedOrder(h, provider, row.seed);
        const refunds = h.connect();
        for (const earlier of before) {
          await refund(refunds, provider, { orderId, amount: earlier, currency });
        }
        h.faults.inject({ provider, kind: "expired_token" });
        const result = await refund(refunds, provider, { orderId, amount, currency });
        expect(result).toMatchObject({ status: "succeeded", amount });
        expect(tokenCalls()).toHaveLength(2);
        // The earlier refunds, the refused request and its resend with the new token.
        expect(h.refundCalls(provider)).toHaveLength(before.length + 2);
        expect(h.orders.get(provider, orderId)?.refunds.map((r) => r.amount)).toEqual([
          ...before,
          amount,
        ]);
      });
    },
  );

  describe("the same idempotency handle again is answered from the first refund", () => {
    it.each(named(REPLAY))("%s: %s", async (_provider, _title, row) => {
      seedOrder(h, row.provider, row.seed);
      const refunds = h.connect();
      const first = await refund(refunds, row.provider, row.request);
      const second = await refund(refunds, row.provider, row.request);
      expect(second).toEqual(first);
      expect(h.refundCalls(row.provider)).toHaveLength(2);
      expect(h.orders.get(row.provider, row.request.orderId)?.refunds).toHaveLength(1);
    });
  });

  describe("sezzle only", () => {
    const orderId = IDS.sezzle;
    const seed = (amount = 10_000) =>
      h.orders.seed({ provider: "sezzle", id: orderId, amount, currency: "USD" });

    it("refunds the rest in a second partial refund, down to nothing refundable", async () => {
      seed();
      const refunds = h.connect();
      await refunds.refund({ provider: "sezzle", orderId, amount: 2_500, currency: "USD" });
      const rest = await refunds.refund({
        provider: "sezzle",
        orderId,
        amount: 7_500,
        currency: "USD",
      });
      expect(rest).toMatchObject({ status: "succeeded", amount: 7_500, currency: "USD" });
      expect(rest.idempotencyKey).toMatch(UUID);
      const order = h.orders.get("sezzle", orderId);
      expect(order?.refunds.map((r) => r.amount)).toEqual([2_500, 7_500]);
      expect(order?.refundableAmount).toBe(0);
      expect(order?.refunds[1]?.idempotencyKey).toBe(rest.idempotencyKey);
    });

    it("refunds the full captured amount when asked for it, but has no refund without an amount", async () => {
      seed(4_200);
      const refunds = h.connect();
      const error = await refundError(
        refunds.refund({ provider: "sezzle", orderId } as RefundRequest),
      );
      expectNothingSent(error, "unsupported", "sezzle");
      const full = await refunds.refund({
        provider: "sezzle",
        orderId,
        amount: 4_200,
        currency: "USD",
      });
      expect(full).toMatchObject({ status: "succeeded", amount: 4_200 });
      expect(h.orders.get("sezzle", orderId)?.refundableAmount).toBe(0);
    });

    it("currency that does not match the order: not_refundable (Sezzle 422 invalid)", async () => {
      seed();
      const error = await refundError(
        h.connect().refund({ provider: "sezzle", orderId, amount: 100, currency: "EUR" }),
      );
      expectError(error, {
        code: "not_refundable",
        provider: "sezzle",
        status: 422,
        retryable: false,
      });
      expect(error.raw).toEqual([
        { code: "invalid", message: "currency does not match the order" },
      ]);
      expect(h.orders.get("sezzle", orderId)?.refunds).toEqual([]);
    });

    it("a bearer token the mock does not know: authentication_failed after one refund request", async () => {
      seed();
      const {
        publicKey: _p,
        privateKey: _k,
        ...where
      } = h.config("sezzle") as {
        publicKey?: string;
        privateKey?: string;
      };
      const refunds = h.connect({ sezzle: { ...where, token: "not-a-sezzle-token" } });
      const error = await refundError(
        refunds.refund({ provider: "sezzle", orderId, amount: 100, currency: "USD" }),
      );
      expectError(error, {
        code: "authentication_failed",
        provider: "sezzle",
        status: 401,
        retryable: false,
      });
      expect(h.refundCalls("sezzle")).toHaveLength(1);
      expect(h.refundCalls("sezzle")[0]?.headers.authorization).toBe("Bearer not-a-sezzle-token");
      expect(h.orders.get("sezzle", orderId)?.refunds).toEqual([]);
    });
  });

  describe("optty only", () => {
    const orderId = IDS.optty;
    const seed = (amount = 2_498, currency = "AUD") =>
      h.orders.seed({ provider: "optty", id: orderId, amount, currency });

    it("a BNPL that settles later: pending with Optty's callbackUrl, then settled in the ledger", async () => {
      h.orders.seed({
        provider: "optty",
        id: orderId,
        amount: 2_498,
        currency: "AUD",
        pendingRefunds: true,
      });
      const result = await h.connect().refund({
        provider: "optty",
        orderId,
        amount: 500,
        currency: "AUD",
        idempotencyKey: "op-pending-1",
      });
      const entry = h.orders.get("optty", orderId)?.refunds[0];
      expect(result).toMatchObject({
        provider: "optty",
        status: "pending",
        refundId: entry?.id,
        amount: 500,
        currency: "AUD",
        idempotencyKey: "op-pending-1",
        raw: { refundStatus: "PENDING", callbackUrl: expect.stringContaining(entry?.id ?? "?") },
      });
      expect(entry?.status).toBe("pending");
      h.orders.settle("optty", orderId, result.refundId ?? "");
      expect(h.orders.get("optty", orderId)?.refunds[0]?.status).toBe("approved");
    });

    it("sends 24.98 as 24.98 and defaults the description to Refund", async () => {
      seed();
      const result = await h
        .connect()
        .refund({ provider: "optty", orderId, amount: 2_498, currency: "AUD" });
      expect(result).toMatchObject({ status: "succeeded", amount: 2_498, currency: "AUD" });
      const body = JSON.parse(h.refundCalls("optty")[0]?.body ?? "");
      expect(body.refundAmount).toEqual({ amount: 24.98, currency: "AUD" });
      expect(body.refundDescription).toBe("Refund");
      expect(body.refundReference).toBe(result.idempotencyKey);
      expect(result.idempotencyKey).toMatch(UUID);
      expect(h.orders.get("optty", orderId)?.refundableAmount).toBe(0);
    });

    it("a currency with 3 decimals that needs all 3 is refused before any request (KWD)", async () => {
      seed(10_000, "KWD");
      const refunds = h.connect();
      const error = await refundError(
        refunds.refund({ provider: "optty", orderId, amount: 1_234, currency: "KWD" }),
      );
      expectNothingSent(error, "invalid_request", "optty");
      const ok = await refunds.refund({
        provider: "optty",
        orderId,
        amount: 1_230,
        currency: "KWD",
      });
      expect(ok).toMatchObject({ status: "succeeded", amount: 1_230, currency: "KWD" });
      expect(JSON.parse(h.refundCalls("optty")[0]?.body ?? "").refundAmount.amount).toBe(1.23);
      expect(h.orders.get("optty", orderId)?.refunds[0]?.amount).toBe(1_230);
    });
  });

  describe("levelup only", () => {
    const orderId = IDS.levelup;

    it("sends the manager confirmation; a wrong one is invalid_request and refunds nothing", async () => {
      h.orders.seed({ provider: "levelup", id: orderId, amount: 900, managerConfirmation: "1234" });
      const refunds = h.connect();
      const error = await refundError(
        refunds.refund({ provider: "levelup", orderId, managerConfirmation: "9999" }),
      );
      expectError(error, {
        code: "invalid_request",
        provider: "levelup",
        status: 422,
        retryable: false,
      });
      expect(error.raw).toEqual([
        {
          error: {
            object: "refund",
            property: "manager_confirmation",
            message: "Manager confirmation was incorrect.",
          },
        },
      ]);
      expect(h.orders.get("levelup", orderId)?.refunds).toEqual([]);
      const ok = await refunds.refund({
        provider: "levelup",
        orderId,
        managerConfirmation: "1234",
      });
      expect(ok).toMatchObject({ status: "succeeded", amount: 900 });
      expect(JSON.parse(h.refundCalls("levelup")[1]?.body ?? "")).toEqual({
        refund: { manager_confirmation: "1234" },
      });
    });

    it("an amount (partial refund) is unsupported, before any request", async () => {
      h.orders.seed({ provider: "levelup", id: orderId, amount: 1_500 });
      const error = await refundError(
        h.connect().refund({ provider: "levelup", orderId, amount: 500, currency: "USD" } as never),
      );
      expectNothingSent(error, "unsupported", "levelup");
      expect(h.orders.get("levelup", orderId)?.refunds).toEqual([]);
    });
  });

  describe("moyasar (MPG) only", () => {
    const orderId = IDS.moyasar;
    const seed = (amount = 262_346, processingMs?: number) =>
      h.orders.seed({
        provider: "moyasar",
        id: orderId,
        amount,
        currency: "SAR",
        ...(processingMs === undefined ? {} : { processingMs }),
      });

    it("uses the idempotencyKey, or a generated UUID, as transaction_id", async () => {
      seed();
      const refunds = h.connect();
      const keyed = await refunds.refund({
        provider: "moyasar",
        orderId,
        amount: 100,
        currency: "SAR",
        idempotencyKey: "mpg-key-1",
      });
      const generated = await refunds.refund({
        provider: "moyasar",
        orderId,
        amount: 200,
        currency: "SAR",
      });
      expect(keyed).toMatchObject({ refundId: "mpg-key-1", idempotencyKey: "mpg-key-1" });
      expect(generated.idempotencyKey).toMatch(UUID);
      expect(generated.refundId).toBe(generated.idempotencyKey);
      expect(h.orders.get("moyasar", orderId)?.refunds.map((r) => [r.id, r.amount])).toEqual([
        ["mpg-key-1", 100],
        [generated.idempotencyKey, 200],
      ]);
    });

    it("transactionId and a different idempotencyKey: invalid_request before any request", async () => {
      seed();
      const error = await refundError(
        h.connect().refund({
          provider: "moyasar",
          orderId,
          amount: 100,
          currency: "SAR",
          transactionId: "a-1",
          idempotencyKey: "b-2",
        }),
      );
      expectNothingSent(error, "invalid_request", "moyasar");
    });

    it("a duplicate while the first is in flight waits for the first answer: one ledger entry", async () => {
      seed(262_346, 400);
      const refunds = h.connect();
      const request = {
        provider: "moyasar",
        orderId,
        amount: 700,
        currency: "SAR",
        transactionId: "mpg-inflight-wait",
      } as const;
      const first = refunds.refund(request);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // MPG answers the duplicate 400 "Initial request is still processing."; the client asks
      // again with the same transaction_id until it gets the first refund's answer.
      const second = await refunds.refund(request);
      expect(second).toMatchObject({ status: "succeeded", refundId: "mpg-inflight-wait" });
      await expect(first).resolves.toMatchObject({ refundId: "mpg-inflight-wait" });
      // The first request, the duplicate answered "still processing", and at least one retry.
      expect(h.refundCalls("moyasar").length).toBeGreaterThanOrEqual(3);
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
    });

    it("a duplicate in flight with no retries left: in_progress (retryable), one ledger entry", async () => {
      seed(262_346, 400);
      const refunds = h.connect(undefined, { maxRetries: 0 });
      const request = {
        provider: "moyasar",
        orderId,
        amount: 700,
        currency: "SAR",
        transactionId: "mpg-inflight",
      } as const;
      const first = refunds.refund(request);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await refundError(refunds.refund(request));
      expectError(error, {
        code: "in_progress",
        provider: "moyasar",
        status: 400,
        retryable: true,
      });
      expect(error.raw).toEqual({ message: "Initial request is still processing." });
      await expect(first).resolves.toMatchObject({ status: "succeeded", refundId: "mpg-inflight" });
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
      // Retrying later with the same handle is safe: the first answer again.
      await expect(refunds.refund(request)).resolves.toMatchObject({ refundId: "mpg-inflight" });
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
    });
  });

  describe("briqpay only", () => {
    const orderId = IDS.briqpay;

    it("a new refund is pending on /v3, then settles approved in the ledger (orders.settle)", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 3_000, currency: "SEK" });
      const result = await h.connect().refund({
        provider: "briqpay",
        orderId,
        amount: 1_000,
        currency: "SEK",
        reason: "Returned item",
      });
      expect(result.status).toBe("pending");
      expect(result.refundId).toMatch(UUID);
      const [call] = h.refundCalls("briqpay");
      expect(call?.url).toBe(`${h.baseUrls.briqpay}/session/${orderId}/order/refund`);
      expect(new URL(call?.url ?? "").pathname).toMatch(/\/v3\/session\/[^/]+\/order\/refund$/);

      expect(h.orders.settle("briqpay", orderId, result.refundId ?? "")).toMatchObject({
        status: "approved",
      });
      expect(h.orders.get("briqpay", orderId)?.refunds[0]?.status).toBe("approved");
    });

    it("settles later on the mock's clock (settleAfterMs)", async () => {
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        settleAfterMs: 60_000,
        settleAs: "rejected",
      });
      const result = await h
        .connect()
        .refund({ provider: "briqpay", orderId, amount: 500, currency: "SEK" });
      expect(result.status).toBe("pending");
      expect(h.orders.get("briqpay", orderId)?.refunds[0]?.status).toBe("pending");
      h.advanceClock(60_000);
      const order = h.orders.get("briqpay", orderId);
      expect(order?.refunds[0]?.status).toBe("rejected");
      expect(order?.refundableAmount).toBe(3_000);
    });

    it("an order that settles at once: succeeded; rejected in a 201 is RefundError declined", async () => {
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        settleAfterMs: 0,
      });
      const refunds = h.connect();
      const approved = await refunds.refund({
        provider: "briqpay",
        orderId,
        amount: 500,
        currency: "SEK",
      });
      expect(approved).toMatchObject({ status: "succeeded", amount: 500, idempotencyKey: null });
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        settleAfterMs: 0,
        settleAs: "rejected",
      });
      const rejected = await refundError(
        refunds.refund({ provider: "briqpay", orderId, amount: 500, currency: "SEK" }),
      );
      expect(rejected).toMatchObject({ code: "declined", status: 201, retryable: false });
      expect(rejected.raw).toMatchObject({ status: "rejected" });
      expect(h.orders.get("briqpay", orderId)?.refunds[0]?.status).toBe("rejected");
    });

    it("refunds cart lines with totals computed in integers (25% VAT, a discount)", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 100_000, currency: "SEK" });
      const cart = [
        {
          productType: "physical" as const,
          name: "Shoe",
          reference: "sku-1",
          quantity: 2,
          quantityUnit: "pc",
          unitPrice: 10_000,
          taxRate: 2_500,
        },
        {
          productType: "physical" as const,
          name: "Sock",
          quantity: 3,
          quantityUnit: "pc",
          unitPrice: 333,
          taxRate: 1_200,
          discountPercentage: 1_000,
        },
      ];
      // Shoe: 20000 ex, 5000 VAT. Sock: 999 - 100 (10% of 999 = 99.9 -> 100) = 899 ex, VAT 107.88 -> 108.
      const result = await h
        .connect()
        .refund({ provider: "briqpay", orderId, currency: "SEK", cart });
      expect(result).toMatchObject({ status: "pending", amount: 26_007, currency: "SEK" });
      const body = JSON.parse(h.refundCalls("briqpay")[0]?.body ?? "");
      expect(body.data.order).toEqual({
        amountIncVat: 26_007,
        amountExVat: 20_899,
        currency: "SEK",
        cart,
      });
      const entry = h.orders.get("briqpay", orderId)?.refunds[0];
      expect(entry).toMatchObject({ amount: 26_007, cart });
    });

    it("an amount that does not equal the cart's total: invalid_request before any request", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 100_000, currency: "SEK" });
      const error = await refundError(
        h.connect().refund({
          provider: "briqpay",
          orderId,
          amount: 999,
          currency: "SEK",
          cart: [
            {
              productType: "physical",
              name: "Shoe",
              quantity: 1,
              quantityUnit: "pc",
              unitPrice: 1_000,
              taxRate: 0,
            },
          ],
        }),
      );
      expectNothingSent(error, "invalid_request", "briqpay");
    });

    it("partial captures: the captureId is sent and limits the refund", async () => {
      const captureA = "11111111-1111-4111-8111-111111111111";
      const captureB = "22222222-2222-4222-8222-222222222222";
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        captures: [
          { captureId: captureA, amount: 1_000 },
          { captureId: captureB, amount: 2_000 },
        ],
      });
      const refunds = h.connect();
      const ok = await refunds.refund({
        provider: "briqpay",
        orderId,
        amount: 1_000,
        currency: "SEK",
        captureId: captureA,
      });
      expect(ok).toMatchObject({ amount: 1_000, raw: { parentCaptureId: captureA } });
      expect(JSON.parse(h.refundCalls("briqpay")[0]?.body ?? "").captureId).toBe(captureA);
      const over = await refundError(
        refunds.refund({
          provider: "briqpay",
          orderId,
          amount: 1,
          currency: "SEK",
          captureId: captureA,
        }),
      );
      expectError(over, {
        code: "amount_exceeds_refundable",
        provider: "briqpay",
        status: 400,
        retryable: false,
      });
      expect(h.orders.get("briqpay", orderId)?.refunds.map((r) => r.captureId)).toEqual([captureA]);
    });

    it("not captured: not_refundable (ORDER_NOT_CAPTURED)", async () => {
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        captured: false,
      });
      const error = await refundError(
        h.connect().refund({ provider: "briqpay", orderId, amount: 100, currency: "SEK" }),
      );
      expectError(error, {
        code: "not_refundable",
        provider: "briqpay",
        status: 400,
        retryable: false,
      });
      expect(error.raw).toMatchObject({ error: { code: "ORDER_NOT_CAPTURED" } });
    });
  });

  describe("bad input is refused before any request", () => {
    type Code = "invalid_request" | "unsupported";
    /** `[title, provider, the request's other fields (orderId defaults to IDS), code]`. */
    const rows: [string, ProviderName, Partial<AnyRequest>, Code][] = [
      [
        "a path-changing order id",
        "sezzle",
        { orderId: "../../admin", amount: 100, currency: "USD" },
        "invalid_request",
      ],
      [
        "an order id with a slash",
        "optty",
        { orderId: "a/b", amount: 100, currency: "AUD" },
        "invalid_request",
      ],
      [
        "an encoded dot segment",
        "moyasar",
        { orderId: "%2e%2e", amount: 100, currency: "SAR" },
        "invalid_request",
      ],
      ["an order id with a query", "levelup", { orderId: "abc?x=1" }, "invalid_request"],
      [
        "an empty order id",
        "sezzle",
        { orderId: "", amount: 100, currency: "USD" },
        "invalid_request",
      ],
      [
        "a Briqpay session id that is not a UUID",
        "briqpay",
        { orderId: "session-1", amount: 100, currency: "SEK" },
        "invalid_request",
      ],
      ["a fractional amount", "sezzle", { amount: 10.5, currency: "USD" }, "invalid_request"],
      ["a zero amount", "optty", { amount: 0, currency: "AUD" }, "invalid_request"],
      ["a negative amount", "moyasar", { amount: -100, currency: "SAR" }, "invalid_request"],
      ["NaN", "briqpay", { amount: Number.NaN, currency: "SEK" }, "invalid_request"],
      [
        "an amount as a string",
        "sezzle",
        { amount: "100" as never, currency: "USD" },
        "invalid_request",
      ],
      ["an unsafe integer", "optty", { amount: 2 ** 53, currency: "AUD" }, "invalid_request"],
      ["an amount without currency", "moyasar", { amount: 100 }, "invalid_request"],
      ["a lower-case currency", "sezzle", { amount: 100, currency: "usd" }, "invalid_request"],
      ["an unknown currency", "briqpay", { amount: 100, currency: "XYZ" }, "invalid_request"],
      [
        "an idempotency key with a space",
        "sezzle",
        { amount: 100, currency: "USD", idempotencyKey: "a b" },
        "invalid_request",
      ],
      [
        "an idempotency key with a line break",
        "optty",
        { amount: 100, currency: "AUD", idempotencyKey: "a\r\nX-Evil: 1" },
        "invalid_request",
      ],
      [
        "a reason with a control character",
        "optty",
        { amount: 100, currency: "AUD", reason: "a\u0000b" },
        "invalid_request",
      ],
      ["no amount where the provider needs one (Optty)", "optty", {}, "unsupported"],
      ["no amount where the provider needs one (MPG)", "moyasar", {}, "unsupported"],
      ["no amount and no cart (Briqpay)", "briqpay", { currency: "SEK" }, "unsupported"],
      ["an amount for LevelUp", "levelup", { amount: 1, currency: "USD" } as never, "unsupported"],
      ["an empty Briqpay cart", "briqpay", { currency: "SEK", cart: [] }, "invalid_request"],
    ];
    const cases = rows.map(
      ([title, provider, fields, code]) =>
        [title, { provider, orderId: IDS[provider], ...fields } as RefundRequest, code] as const,
    );

    it.each(cases)("%s", async (_name, request, code) => {
      h.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 10_000, currency: "USD" });
      const error = await refundError(h.connect().refund(request));
      expectError(error, { code, provider: request.provider, status: null, retryable: false });
      expect(h.calls).toEqual([]);
      expect(h.orders.list().flatMap((order) => order.refunds)).toEqual([]);
    });
  });
});
