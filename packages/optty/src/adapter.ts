import {
  type AdapterContext,
  asNetworkError,
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  type BaseRefundRequest,
  bodyOf,
  type Capabilities,
  currencyExponent,
  declinedInAnswer,
  defineAdapter,
  errorCodeForStatus,
  isInProgressAnswer,
  isRecord,
  isRetryableStatus,
  keyedCall,
  majorToMinor,
  minorToMajorNumber,
  newIdempotencyKey,
  type ProviderAdapter,
  parseJson,
  type RefundError,
  type RefundErrorCode,
  type RefundResult,
  refundErrorFor,
  refundOutcomeOf,
  refusalIn,
  retryAfterMsOf,
} from "@refundkit/core/internal";
import { createOpttyClient, type OpttyClient, type OpttyConfig } from "./client.js";

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

const PROVIDER = "optty";
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

/**
 * Integer minor units to Optty's decimal major units (a JSON number), exactly. A currency with
 * more than 2 minor digits (KWD, BHD...) works only for amounts that need at most 2 decimals.
 */
function toOpttyAmount(amount: number, currency: string): number {
  const extraDigits = currencyExponent(currency) - MAX_DECIMALS;
  if (extraDigits > 0 && amount % 10 ** extraDigits !== 0) {
    throw fail(
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
  if (status === 401) return "authentication_failed";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "provider_error";
  return errorCodeForStatus(status);
}

function toError(
  response: Response,
  body: unknown,
  orderId: string,
  idempotencyKey: string,
): RefundError {
  const { status } = response;
  const detail = messageOf(body).slice(0, 200);
  const message = `refund of order ${orderId} answered ${status}${detail ? ` (${detail})` : ""}`;
  const code = classify(status, body);
  return fail(code, message, {
    status,
    // Every refund carries refundReference, so the same call may be sent again; an in-progress
    // answer (409) then gets the first request's outcome.
    retryable: isRetryableStatus(status) || code === "in_progress",
    raw: body,
    idempotencyKey,
    retryAfterMs: retryAfterMsOf(response),
  });
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

/** A string field of a JSON request body (the idempotency handle), or null. */
async function bodyField(request: Request, name: string): Promise<string | null> {
  const value = field(parseJson(await request.text()), name);
  return typeof value === "string" && value !== "" ? value : null;
}

/** The Optty side of the unified refund: config and request types of `opttyAdapter`. */
export type OpttyProviderAdapter = ProviderAdapter<"optty", OpttyConfig, OpttyRefundRequest>;

/** One refund: validate before sending, send, map the answer (https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md). */
async function refundWith(
  client: OpttyClient,
  request: OpttyRefundRequest,
  context: AdapterContext,
): Promise<RefundResult<"optty">> {
  const { orderId, amount, currency, reason } = request;
  assertPathId(PROVIDER, "orderId", orderId);
  if (amount === undefined) {
    throw fail("unsupported", "amount is required: Optty has no full refund without an amount");
  }
  assertAmount(PROVIDER, amount);
  if (currency === undefined) {
    throw fail("invalid_request", "currency is required whenever amount is given");
  }
  assertCurrency(PROVIDER, currency);
  const idempotencyKey = request.idempotencyKey ?? newIdempotencyKey();
  assertIdempotencyKey(PROVIDER, idempotencyKey);
  assertOptionalString(PROVIDER, "reason", reason, MAX_REASON_LENGTH);
  const major = toOpttyAmount(amount, currency);
  // A refundReference reused for another refund would replay that refund's answer: refused
  // before sending when this client sent it (its memory of its keys).
  return keyedCall(PROVIDER, context, idempotencyKey, { orderId, amount, currency }, () =>
    send(client, request, { orderId, amount, major, currency, idempotencyKey }),
  );
}

async function send(
  client: OpttyClient,
  { reason, signal }: OpttyRefundRequest,
  checked: {
    orderId: string;
    amount: number;
    major: number;
    currency: string;
    idempotencyKey: string;
  },
): Promise<RefundResult<"optty">> {
  const { orderId, amount, major, currency, idempotencyKey } = checked;
  const outcome = await client
    .POST("/orders/{orderReference}/refund", {
      params: { path: { orderReference: orderId } },
      body: {
        refundReference: idempotencyKey,
        refundAmount: { amount: major, currency },
        refundDescription: reason ?? DEFAULT_DESCRIPTION,
      },
      parseAs: "stream",
      ...(signal === undefined ? {} : { signal }),
    })
    .catch(
      asNetworkError(
        PROVIDER,
        `refund of order ${orderId} failed before an answer came`,
        signal,
        idempotencyKey,
      ),
    );
  const { data, error, response } = outcome;
  if (!response.ok) throw toError(response, error ?? null, orderId, idempotencyKey);

  // 200 or 201 (any 2xx) means money moved: an unreadable body stays in raw, never an error.
  const raw = await bodyOf(data);
  const bnplRefundId = field(raw, "bnplRefundId");
  const refundReference = field(raw, "refundReference");
  const refundId =
    typeof bnplRefundId === "string" && bnplRefundId !== ""
      ? bnplRefundId
      : typeof refundReference === "string" && refundReference !== ""
        ? refundReference
        : null;
  // A 2xx whose refundStatus says the refund failed (FAILED, DECLINED, ...) moved no money.
  const word = field(raw, "refundStatus");
  const outcomeWord = refundOutcomeOf(word, SUCCESS_WORDS);
  if (outcomeWord === "failed") {
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
    status: outcomeWord,
    refundId,
    // A 2xx to "refund N" refunded N; Optty's own refundedAmount wins when it has one.
    amount: refundedMinor(field(raw, "refundedAmount"), currency) ?? amount,
    currency,
    idempotencyKey,
    raw,
  };
}

/** Optty's adapter for the refundkit facade: `connect(config)` then `refund(request)`. */
export const opttyAdapter: OpttyProviderAdapter = /* @__PURE__ */ defineAdapter({
  provider: PROVIDER,
  capabilities: opttyCapabilities,
  createClient: createOpttyClient,
  refund: refundWith,
  handleOf: (request) => bodyField(request, "refundReference"),
});
