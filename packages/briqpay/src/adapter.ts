import {
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  type BaseRefundRequest,
  type CallInit,
  type Capabilities,
  declinedInAnswer,
  defineAdapter,
  errorCodeForStatus,
  isRecord,
  type ProviderAdapter,
  type RefundError,
  type RefundResult,
  refundErrorFor,
  refundOutcomeOf,
  refundSteps,
  refusal,
  refusalIn,
  retryAfterMsOf,
} from "@refundkit/core/internal";
import {
  type BriqpayCaller,
  type BriqpayClientOptions,
  type BriqpayConfig,
  createBriqpayClient,
} from "./client.js";
import type { components } from "./generated/openapi.js";
import { type BriqpayLine, briqpayCartTotals } from "./totals.js";

/** The unified refund request for Briqpay: an amount (sent as one adjustment line) or a cart. */
export type BriqpayRefundRequest = BaseRefundRequest & {
  /** The capture to refund (a UUID); only when the session had partial captures. */
  captureId?: string;
  /** The lines to refund; the totals are computed from them. Without it, `amount` is required. */
  cart?: BriqpayLine[];
};

/** Briqpay: partial refunds and line items, pending results, no idempotency handle. */
export const briqpayCapabilities: Capabilities = /* @__PURE__ */ Object.freeze({
  partialRefunds: true,
  fullRefundWithoutAmount: false,
  idempotency: "none",
  pendingResults: true,
  lineItems: true,
});

/** Briqpay's side of the unified refund: config and request types of `briqpayAdapter`. */
export type BriqpayProviderAdapter = ProviderAdapter<
  "briqpay",
  BriqpayConfig,
  BriqpayRefundRequest
>;

const PROVIDER = "briqpay";

/** The refund: https://developer.briqpay.com/docs/3.0.0/api/order-management */
const PATH = "/session/{sessionId}/order/refund";

/** Briqpay's refund status for money moved ("successful" is what its WooCommerce plugin also accepts). */
const SUCCESS_WORDS = ["approved", "successful"] as const;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const PRODUCT_TYPES: ReadonlySet<string> = new Set<components["schemas"]["ProductType"]>([
  "physical",
  "digital",
  "discount",
  "shipping_fee",
  "deposit",
  "surcharge",
  "adjustment",
]);

const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

type RefundBody = components["schemas"]["RefundRequest"];

/** A request `validate` accepted, as it goes out. Briqpay has no idempotency handle: unkeyed. */
interface Checked {
  orderId: string;
  /** The refund's total in minor units, VAT included (`amountIncVat`). */
  amount: number;
  /** The refund's total in minor units, VAT excluded (`amountExVat`). */
  amountExVat: number;
  currency: string;
  idempotencyKey: null;
  captureId: string | undefined;
  /** The refund's lines: the caller's cart, or one tax-free `adjustment` line of the amount. */
  cart: BriqpayLine[];
}

function assertUuid(field: string, value: unknown): asserts value is string {
  assertPathId(PROVIDER, field, value);
  if (!UUID.test(value)) throw refusal(PROVIDER, "invalid_request", `${field} must be a UUID`);
}

function assertInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw refusal(
      PROVIDER,
      "invalid_request",
      `${field} must be an integer from ${min} to ${max}; got ${typeof value === "number" ? value : typeof value}`,
    );
  }
  return value;
}

function assertText(field: string, value: unknown, maxLength: number): string {
  assertOptionalString(PROVIDER, field, value, maxLength);
  if (value === undefined || value === "") {
    throw refusal(
      PROVIDER,
      "invalid_request",
      `${field} is required (1 to ${maxLength} characters)`,
    );
  }
  return value;
}

/** One validated cart line, rebuilt from its known fields only. */
function validLine(line: unknown, index: number): BriqpayLine {
  const at = `cart[${index}]`;
  if (!isRecord(line)) throw refusal(PROVIDER, "invalid_request", `${at} must be an object`);
  const name = assertText(`${at}.name`, line.name, 256);
  assertOptionalString(PROVIDER, `${at}.reference`, line.reference, 256);
  const reference = line.reference;
  if (line.productType === "sales_tax") {
    return {
      productType: "sales_tax",
      name,
      ...(reference === undefined ? {} : { reference }),
      totalTaxAmount: assertInteger(
        `${at}.totalTaxAmount`,
        line.totalTaxAmount,
        0,
        Number.MAX_SAFE_INTEGER,
      ),
    };
  }
  if (typeof line.productType !== "string" || !PRODUCT_TYPES.has(line.productType)) {
    throw refusal(
      PROVIDER,
      "invalid_request",
      `${at}.productType must be one of ${[...PRODUCT_TYPES, "sales_tax"].join(", ")}`,
    );
  }
  const discountPercentage =
    line.discountPercentage === undefined
      ? undefined
      : assertInteger(`${at}.discountPercentage`, line.discountPercentage, 0, 10_000);
  return {
    productType: line.productType as components["schemas"]["ProductType"],
    ...(reference === undefined ? {} : { reference }),
    name,
    quantity: assertInteger(`${at}.quantity`, line.quantity, 1, Number.MAX_SAFE_INTEGER),
    quantityUnit: assertText(`${at}.quantityUnit`, line.quantityUnit, 10),
    unitPrice: assertInteger(
      `${at}.unitPrice`,
      line.unitPrice,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    ),
    taxRate: assertInteger(`${at}.taxRate`, line.taxRate, 0, 10_000),
    ...(discountPercentage === undefined ? {} : { discountPercentage }),
  };
}

/**
 * Every rule Briqpay's refund has, before any request: RefundError otherwise
 * (https://developer.briqpay.com/docs/3.0.0/api/order-management).
 */
function validate(request: BriqpayRefundRequest): Checked {
  assertUuid("orderId (the Briqpay session id)", request.orderId);
  if (request.captureId !== undefined) assertUuid("captureId", request.captureId);
  if (request.idempotencyKey !== undefined) {
    assertIdempotencyKey(PROVIDER, request.idempotencyKey);
  }
  assertOptionalString(PROVIDER, "reason", request.reason, 256);
  const { orderId, captureId } = request;

  if (request.cart === undefined) {
    if (request.amount === undefined) {
      throw refusal(
        PROVIDER,
        "unsupported",
        "Briqpay has no full refund without an amount: pass amount and currency, or a cart",
      );
    }
    assertAmount(PROVIDER, request.amount);
    assertCurrency(PROVIDER, request.currency);
    if (request.reason === "") {
      throw refusal(
        PROVIDER,
        "invalid_request",
        "reason must not be empty: it names the adjustment line",
      );
    }
    const { amount, currency } = request;
    const line: BriqpayLine = {
      productType: "adjustment",
      name: request.reason ?? "Refund",
      quantity: 1,
      quantityUnit: "pc",
      unitPrice: amount,
      taxRate: 0,
    };
    return {
      orderId,
      amount,
      amountExVat: amount,
      currency,
      idempotencyKey: null,
      captureId,
      cart: [line],
    };
  }

  if (!Array.isArray(request.cart) || request.cart.length === 0) {
    throw refusal(PROVIDER, "invalid_request", "cart must be an array of at least one line");
  }
  const cart = request.cart.map(validLine);
  assertCurrency(PROVIDER, request.currency);
  let totals: { amountIncVat: number; amountExVat: number };
  try {
    totals = briqpayCartTotals(cart);
  } catch (error) {
    throw refusal(
      PROVIDER,
      "invalid_request",
      error instanceof Error ? error.message : "cart totals overflow",
    );
  }
  if (totals.amountIncVat <= 0) {
    throw refusal(
      PROVIDER,
      "invalid_request",
      `the cart adds up to ${totals.amountIncVat} (amountIncVat); a refund must be positive`,
    );
  }
  if (request.amount !== undefined) {
    assertAmount(PROVIDER, request.amount);
    if (request.amount !== totals.amountIncVat) {
      throw refusal(
        PROVIDER,
        "invalid_request",
        `amount ${request.amount} does not equal the cart's amountIncVat ${totals.amountIncVat}`,
      );
    }
  }
  return {
    orderId,
    amount: totals.amountIncVat,
    amountExVat: totals.amountExVat,
    currency: request.currency,
    idempotencyKey: null,
    captureId,
    cart,
  };
}

/** The refund body: the totals (minor units), currency and lines; `captureId` when given. */
function toWire({ amount, amountExVat, currency, captureId, cart }: Checked): RefundBody {
  const order = { amountIncVat: amount, amountExVat, currency, cart };
  return captureId === undefined ? { data: { order } } : { captureId, data: { order } };
}

/** The typed call, the body from `toWire`. */
function send(client: BriqpayCaller, checked: Checked, init: CallInit) {
  const params = { path: { sessionId: checked.orderId } };
  return client.POST(PATH, { params, body: toWire(checked), ...init });
}

/**
 * A 2xx (201 documented): Briqpay took the refund. `approved` and `pending` are its refund
 * statuses besides `rejected` (https://developer.briqpay.com/docs/3.0.0/api/refund-status): a
 * 201 saying `rejected` (or another failure word) refunded nothing, so it is an error; an unknown
 * word stays pending.
 */
function toResult(
  { orderId, amount: asked, currency: askedCurrency }: Checked,
  raw: unknown,
  response: Response,
): RefundResult<"briqpay"> {
  const answer = isRecord(raw) ? raw : {};
  const amount = answer.amountIncVat;
  const refundId = typeof answer.refundId === "string" ? answer.refundId : null;
  const outcome = refundOutcomeOf(answer.status, SUCCESS_WORDS);
  if (outcome === "failed") {
    throw declinedInAnswer(PROVIDER, {
      orderId,
      status: response.status,
      word: String(answer.status),
      raw,
      refundId,
      idempotencyKey: null,
    });
  }
  return {
    provider: PROVIDER,
    orderId,
    status: outcome,
    refundId,
    // A 2xx to "refund N" took N; Briqpay's own amountIncVat wins when it has one.
    amount: typeof amount === "number" && Number.isSafeInteger(amount) ? amount : asked,
    currency: typeof answer.currency === "string" ? answer.currency : askedCurrency,
    idempotencyKey: null,
    raw,
  };
}

/** Briqpay's `{error: {code, message}}`: each a string, else undefined. */
function errorOf(body: unknown): { code?: string; message?: string } {
  const { code, message } = isRecord(body) && isRecord(body.error) ? body.error : {};
  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : undefined,
  };
}

const NOT_REFUNDABLE = new Set([
  "ORDER_NOT_CAPTURED",
  "ORDER_NOT_COMPLETED",
  "ORDER_CANCELLED",
  "ORDER_PENDING",
]);

const AUTH = new Set(["INVALID_CREDENTIALS", "INVALID_API_KEY", "AUTH_SECRET_EXPIRED"]);

/** Any other status: Briqpay rows of "Provider answer -> RefundError": https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#provider-answer---refunderror */
function toError(response: Response, error: unknown): RefundError {
  const { status } = response;
  const raw = error ?? "";
  const { code, message } = errorOf(raw);
  const where = `POST /v3/session/{sessionId}/order/refund answered ${status}${
    code === undefined ? "" : ` ${code}`
  }${message === undefined ? "" : `: ${message.slice(0, 300)}`}`;
  const at = { status, raw };
  if ((status === 400 || status === 403) && code !== undefined && AUTH.has(code)) {
    return fail("authentication_failed", where, at);
  }
  if (status === 400) {
    if (code === "INVALID_DATA") return fail(refusalIn(message) ?? "invalid_request", where, at);
    if (code === "REFUND_NOT_SUPPORTED") return fail("unsupported", where, at);
    if (code === "REFUND_NOT_ALLOWED") {
      return fail(refusalIn(message) ?? "not_refundable", where, at);
    }
    if (code !== undefined && NOT_REFUNDABLE.has(code)) return fail("not_refundable", where, at);
    return fail("invalid_request", where, at);
  }
  if (status === 429) {
    return fail("rate_limited", where, {
      ...at,
      retryable: true,
      retryAfterMs: retryAfterMsOf(response),
    });
  }
  // By status alone: 401 authentication_failed, 403 permission_denied, 5xx provider_error (no
  // idempotency handle, so the refund may have happened: never retryable).
  return fail(errorCodeForStatus(status), where, at);
}

/**
 * Briqpay's adapter over a client factory: `briqpayAdapter` is this over `createBriqpayClient`; the
 * `refundkit` facade uses it over `createBriqpayCaller` (the same calls without openapi-fetch).
 */
export function briqpayAdapterWith(
  createClient: (options: BriqpayClientOptions) => BriqpayCaller,
): BriqpayProviderAdapter {
  return defineAdapter({
    provider: PROVIDER,
    capabilities: briqpayCapabilities,
    createClient,
    refund: refundSteps({
      provider: PROVIDER,
      orderNoun: "session",
      validate,
      send,
      toResult,
      toError,
    }),
  });
}

/** Briqpay's adapter for the refundkit facade: `connect(config)` then `refund(request)`. */
export const briqpayAdapter: BriqpayProviderAdapter =
  /* @__PURE__ */ briqpayAdapterWith(createBriqpayClient);
