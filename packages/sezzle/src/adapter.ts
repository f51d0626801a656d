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
  defineAdapter,
  errorCodeForStatus,
  isInProgressAnswer,
  isRecord,
  isRetryableStatus,
  keyedCall,
  newIdempotencyKey,
  type ProviderAdapter,
  type RefundError,
  type RefundErrorCode,
  type RefundResult,
  refundErrorFor,
  refusalIn,
  retryAfterMsOf,
} from "@refundkit/core/internal";
import { createSezzleClient, type SezzleClient, type SezzleConfig } from "./client.js";

/** Sezzle takes only the shared fields. */
export type SezzleRefundRequest = BaseRefundRequest;

/** Capabilities: https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#capabilities-refundscapabilitiesprovider */
export const sezzleCapabilities: Capabilities = /* @__PURE__ */ Object.freeze({
  partialRefunds: true,
  fullRefundWithoutAmount: false,
  idempotency: "header",
  pendingResults: false,
  lineItems: false,
});

const PROVIDER = "sezzle";
/** Sezzle sends no reason; a reason is still checked so that bad input fails the same everywhere. */
const MAX_REASON_LENGTH = 255;

const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

interface SezzleErrorItem {
  code?: unknown;
  message?: unknown;
}

/**
 * Sezzle errors are a JSON array of `{code, message, ...}`; tolerate a single object too.
 * https://docs.sezzle.com/docs/api/core/orders/postv2refundbyorder
 */
function errorItems(body: unknown): SezzleErrorItem[] {
  const list = Array.isArray(body) ? body : [body];
  return list.filter((item): item is SezzleErrorItem => isRecord(item));
}

function classify(status: number, body: unknown): RefundErrorCode {
  if (status === 401) return "authentication_failed";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "provider_error";
  // Core's one in-progress rule, the one the client retries by (a 409, "in progress" wording).
  if (isInProgressAnswer(status, JSON.stringify(body ?? ""))) return "in_progress";
  const items = errorItems(body);
  const refusal = items
    .map((item) => (typeof item.message === "string" ? refusalIn(item.message) : undefined))
    .find((code) => code !== undefined);
  if (status === 422) {
    if (items.some((item) => item.code === "invalid_merchant")) return "permission_denied";
    return refusal ?? "not_refundable";
  }
  if (status === 400) return refusal ?? "invalid_request";
  return errorCodeForStatus(status);
}

function describeError(body: unknown): string {
  const item = errorItems(body)[0];
  if (item === undefined) return "";
  const code = typeof item.code === "string" ? item.code.slice(0, 60) : "";
  const message = typeof item.message === "string" ? item.message.slice(0, 200) : "";
  return [code, message].filter(Boolean).join(": ");
}

function toError(
  response: Response,
  body: unknown,
  orderId: string,
  idempotencyKey: string,
): RefundError {
  const { status } = response;
  const code = classify(status, body);
  const detail = describeError(body);
  return fail(
    code,
    `refund of order ${orderId} answered ${status}${detail ? ` (${detail})` : ""}`,
    {
      status,
      // Every refund carries Sezzle-Request-Id, so the same call may be sent again; an
      // in-progress answer (409) then gets the first request's outcome.
      retryable: isRetryableStatus(status) || code === "in_progress",
      raw: body,
      idempotencyKey,
      retryAfterMs: retryAfterMsOf(response),
    },
  );
}

/** The Sezzle side of the unified refund: config and request types of `sezzleAdapter`. */
export type SezzleProviderAdapter = ProviderAdapter<"sezzle", SezzleConfig, SezzleRefundRequest>;

/** One refund: validate before sending, send, map the answer (https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md). */
async function refundWith(
  client: SezzleClient,
  request: SezzleRefundRequest,
  context: AdapterContext,
): Promise<RefundResult<"sezzle">> {
  const { orderId, amount, currency, reason } = request;
  assertPathId(PROVIDER, "orderId", orderId);
  if (amount === undefined) {
    throw fail("unsupported", "amount is required: Sezzle has no full refund without an amount");
  }
  assertAmount(PROVIDER, amount);
  if (currency === undefined) {
    throw fail("invalid_request", "currency is required whenever amount is given");
  }
  assertCurrency(PROVIDER, currency);
  const idempotencyKey = request.idempotencyKey ?? newIdempotencyKey();
  assertIdempotencyKey(PROVIDER, idempotencyKey);
  assertOptionalString(PROVIDER, "reason", reason, MAX_REASON_LENGTH);
  // Sezzle's answer ({uuid}) does not state the amount: a key reused for another refund would be
  // reported as that refund. Refused before sending (this client's memory of its keys).
  return keyedCall(PROVIDER, context, idempotencyKey, { orderId, amount, currency }, () =>
    send(client, request, orderId, amount, currency, idempotencyKey),
  );
}

async function send(
  client: SezzleClient,
  { signal }: SezzleRefundRequest,
  orderId: string,
  amount: number,
  currency: string,
  idempotencyKey: string,
): Promise<RefundResult<"sezzle">> {
  const outcome = await client
    .POST("/v2/order/{order_uuid}/refund", {
      params: {
        path: { order_uuid: orderId },
        header: { "Sezzle-Request-Id": idempotencyKey },
      },
      body: { amount_in_cents: amount, currency },
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

  // Any 2xx means money moved: a body we cannot read stays in raw, never an error.
  const raw = await bodyOf(data);
  const uuid = isRecord(raw) && typeof raw.uuid === "string" ? raw.uuid : null;
  return {
    provider: PROVIDER,
    orderId,
    status: "succeeded",
    refundId: uuid,
    // Sezzle answers 200 only for the full requested amount.
    amount,
    currency,
    idempotencyKey,
    raw,
  };
}

/** Sezzle's adapter for the refundkit facade: `connect(config)` then `refund(request)`. */
export const sezzleAdapter: SezzleProviderAdapter = /* @__PURE__ */ defineAdapter({
  provider: PROVIDER,
  capabilities: sezzleCapabilities,
  createClient: createSezzleClient,
  refund: refundWith,
  handleOf: (request) => request.headers.get("sezzle-request-id"),
});
