import {
  type BaseRefundRequest,
  type CallInit,
  type Capabilities,
  checkAmountRefund,
  currencyExponent,
  declinedInAnswer,
  defineAdapter,
  errorCodeForStatus,
  isInProgressAnswer,
  isRecord,
  jsonBodyHandle,
  keyedCall,
  keyedRefundError,
  majorToMinor,
  minorToMajorNumber,
  type ProviderAdapter,
  type RefundError,
  type RefundErrorCode,
  type RefundResult,
  refundErrorFor,
  refundOutcomeOf,
  refundSteps,
  refusal,
  refusalIn,
} from "@refundkit/core/internal";
import {
  createOpttyClient,
  type OpttyCaller,
  type OpttyClientOptions,
  type OpttyConfig,
} from "./client.js";
import type { components } from "./generated/openapi.js";

/** Optty takes only the shared fields. */
export type OpttyRefundRequest = BaseRefundRequest;

/** Capabilities: https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#capabilities-refundscapabilitiesprovider */
export const opttyCapabilities: Capabilities = /* @__PURE__ */ Object.freeze({
  partialRefunds: true,
  fullRefundWithoutAmount: false,
  idempotency: "body",
  pendingResults: true,
  lineItems: false,
});

/** The Optty side of the unified refund: config and request types of `opttyAdapter`. */
export type OpttyProviderAdapter = ProviderAdapter<"optty", OpttyConfig, OpttyRefundRequest>;

const PROVIDER = "optty";

/** The refund: https://docs.optty.com/api-references/refund-order */
const PATH = "/orders/{orderReference}/refund";

const MAX_REASON_LENGTH = 255;

/**
 * Optty takes at most 2 decimals ("a positive number with up to 2 decimal places"):
 * https://docs.optty.com/api-references/refund-order
 */
const MAX_DECIMALS = 2;

const DEFAULT_DESCRIPTION = "Refund";

/** The documented success value ("SUCCESSFUL"), in any case. */
const SUCCESS_WORDS = ["SUCCESSFUL", "SUCCESS"] as const;

const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

type RefundBody = components["schemas"]["OrderRefundDto"];

/**
 * A request `validate` accepted, as it goes out. The idempotency key is sent as
 * `refundReference`: one reused for another refund would replay that refund's answer, so
 * `refundSteps` refuses it before sending when this client sent it.
 */
interface Checked extends ReturnType<typeof checkAmountRefund> {
  /** The amount in Optty's decimal major units. */
  major: number;
  reason: string | undefined;
}

/**
 * Integer minor units to Optty's decimal major units (a JSON number), exactly. A currency with
 * more than 2 minor digits (KWD, BHD...) works only for amounts that need at most 2 decimals.
 */
function toOpttyAmount(amount: number, currency: string): number {
  const extraDigits = currencyExponent(currency) - MAX_DECIMALS;
  if (extraDigits > 0 && amount % 10 ** extraDigits !== 0) {
    throw refusal(
      PROVIDER,
      "invalid_request",
      `amount ${amount} ${currency} needs ${currencyExponent(currency)} decimals; Optty accepts at most ${MAX_DECIMALS}`,
    );
  }
  try {
    return minorToMajorNumber(amount, currency);
  } catch (error) {
    throw fail(
      "invalid_request",
      `amount ${amount} ${currency} cannot be sent as a decimal number exactly`,
      { cause: error },
    );
  }
}

/** Every rule Optty's refund has, before any request: RefundError otherwise. */
function validate(request: OpttyRefundRequest): Checked {
  const checked = checkAmountRefund(
    PROVIDER,
    request,
    MAX_REASON_LENGTH,
    "amount is required: Optty has no full refund without an amount",
  );
  const major = toOpttyAmount(checked.amount, checked.currency);
  return { ...checked, major, reason: request.reason };
}

/** The refund body: `refundReference` (the idempotency key), the major-unit amount, a description. */
function toWire({ major, currency, idempotencyKey, reason }: Checked): RefundBody {
  return {
    refundReference: idempotencyKey,
    refundAmount: { amount: major, currency },
    refundDescription: reason ?? DEFAULT_DESCRIPTION,
  };
}

/** The typed call, the body from `toWire`. */
function send(client: OpttyCaller, checked: Checked, init: CallInit) {
  const params = { path: { orderReference: checked.orderId } };
  return client.POST(PATH, { params, body: toWire(checked), ...init });
}

function field(body: unknown, name: string): unknown {
  return isRecord(body) ? body[name] : undefined;
}

function refundedMinor(value: unknown, currency: string): number | null {
  if (typeof value !== "number" && typeof value !== "string") return null;
  try {
    return majorToMinor(value, currency);
  } catch {
    return null;
  }
}

/**
 * A 2xx (200 or 201): the refund id is `bnplRefundId`, else `refundReference`; a `refundStatus`
 * that says the refund failed (FAILED, DECLINED, ...) moved no money, so it is an error.
 */
function toResult(
  { orderId, amount, currency, idempotencyKey }: Checked,
  raw: unknown,
  response: Response,
): RefundResult<"optty"> {
  const refundId =
    [field(raw, "bnplRefundId"), field(raw, "refundReference")].find(
      (id): id is string => typeof id === "string" && id !== "",
    ) ?? null;
  const word = field(raw, "refundStatus");
  const outcome = refundOutcomeOf(word, SUCCESS_WORDS);
  if (outcome === "failed") {
    throw declinedInAnswer(PROVIDER, {
      orderId,
      status: response.status,
      word: String(word),
      raw,
      refundId,
      idempotencyKey,
    });
  }
  return {
    provider: PROVIDER,
    orderId,
    status: outcome,
    refundId,
    // A 2xx to "refund N" refunded N; Optty's own refundedAmount wins when it has one.
    amount: refundedMinor(field(raw, "refundedAmount"), currency) ?? amount,
    currency,
    idempotencyKey,
    raw,
  };
}

function messageOf(body: unknown): string {
  if (isRecord(body)) {
    const { message } = body;
    if (typeof message === "string") return message;
    // NestJS validation errors send an array of messages.
    if (Array.isArray(message)) return message.filter((m) => typeof m === "string").join("; ");
  }
  return typeof body === "string" ? body : "";
}

function classify(status: number, body: unknown): RefundErrorCode {
  // Core's one in-progress rule, the one the client retries by (a 409, "in progress" wording).
  if (isInProgressAnswer(status, messageOf(body))) return "in_progress";
  if (status === 400) {
    return refusalIn(messageOf(body)) ?? "invalid_request";
  }
  // 401 authentication_failed, 429 rate_limited, 5xx provider_error, ...
  return errorCodeForStatus(status);
}

/**
 * Any other status: Optty's `{statusCode, message, error}` mapped to a RefundError. Every refund
 * carries `refundReference`, so the same call may be sent again (`keyedRefundError`).
 */
function toError(response: Response, error: unknown, checked: Checked): RefundError {
  const body = error ?? null;
  const code = classify(response.status, body);
  return keyedRefundError(fail, code, response, body, messageOf(body).slice(0, 200), checked);
}

/** Optty's idempotency handle on an outgoing request: the body's `refundReference`. */
function handleOf(_request: Request, body: string | null): string | null {
  return jsonBodyHandle(body, "refundReference");
}

/**
 * Optty's adapter over a client factory: `opttyAdapter` is this over `createOpttyClient`; the
 * `refundkit` facade uses it over `createOpttyCaller` (the same calls without openapi-fetch).
 */
export function opttyAdapterWith(
  createClient: (options: OpttyClientOptions) => OpttyCaller,
): OpttyProviderAdapter {
  return defineAdapter({
    provider: PROVIDER,
    capabilities: opttyCapabilities,
    createClient,
    refund: refundSteps({
      provider: PROVIDER,
      validate,
      send,
      toResult,
      toError,
      keyed: keyedCall,
    }),
    handleOf,
  });
}

/** Optty's adapter for the refundkit facade: `connect(config)` then `refund(request)`. */
export const opttyAdapter: OpttyProviderAdapter =
  /* @__PURE__ */ opttyAdapterWith(createOpttyClient);
