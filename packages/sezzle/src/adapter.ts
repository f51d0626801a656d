import {
  type BaseRefundRequest,
  type CallInit,
  type Capabilities,
  checkAmountRefund,
  defineAdapter,
  errorCodeForStatus,
  isInProgressAnswer,
  isRecord,
  keyedCall,
  keyedRefundError,
  type ProviderAdapter,
  type RefundError,
  type RefundErrorCode,
  type RefundResult,
  refundErrorFor,
  refundSteps,
  refusalIn,
} from "@refundkit/core/internal";
import {
  createSezzleClient,
  type SezzleCaller,
  type SezzleClientOptions,
  type SezzleConfig,
} from "./client.js";
import type { components } from "./generated/openapi.js";

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

/** The Sezzle side of the unified refund: config and request types of `sezzleAdapter`. */
export type SezzleProviderAdapter = ProviderAdapter<"sezzle", SezzleConfig, SezzleRefundRequest>;

const PROVIDER = "sezzle";
/** The refund: https://docs.sezzle.com/docs/api/core/orders/postv2refundbyorder */
const PATH = "/v2/order/{order_uuid}/refund";
/** Sezzle sends no reason; a reason is still checked so that bad input fails the same everywhere. */
const MAX_REASON_LENGTH = 255;

const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

type RefundBody = components["schemas"]["RefundRequest"];

/**
 * A request `validate` accepted, as it goes out. The idempotency key is sent as
 * `Sezzle-Request-Id`; Sezzle's answer ({uuid}) does not state the amount, so a key reused for
 * another refund would be reported as that refund: `refundSteps` refuses it before sending.
 */
type Checked = ReturnType<typeof checkAmountRefund>;

/** Every rule Sezzle's refund has, before any request: RefundError otherwise. */
function validate(request: SezzleRefundRequest): Checked {
  return checkAmountRefund(
    PROVIDER,
    request,
    MAX_REASON_LENGTH,
    "amount is required: Sezzle has no full refund without an amount",
  );
}

/** The refund body: the amount in cents (minor units) and its currency. */
function toWire({ amount, currency }: Checked): RefundBody {
  return { amount_in_cents: amount, currency };
}

/** The typed call: `Sezzle-Request-Id` in the header, the body from `toWire`. */
function send(client: SezzleCaller, checked: Checked, init: CallInit) {
  const params = {
    path: { order_uuid: checked.orderId },
    header: { "Sezzle-Request-Id": checked.idempotencyKey },
  };
  return client.POST(PATH, { params, body: toWire(checked), ...init });
}

/** A 2xx: Sezzle answers `{uuid}` and 200 only for the full requested amount. */
function toResult(
  { orderId, amount, currency, idempotencyKey }: Checked,
  raw: unknown,
): RefundResult<"sezzle"> {
  const uuid = isRecord(raw) && typeof raw.uuid === "string" ? raw.uuid : null;
  return {
    provider: PROVIDER,
    orderId,
    status: "succeeded",
    refundId: uuid,
    amount,
    currency,
    idempotencyKey,
    raw,
  };
}

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

/**
 * Any other status: Sezzle's error list mapped to a RefundError. Every refund carries
 * Sezzle-Request-Id, so the same call may be sent again; an in-progress answer (409) then gets
 * the first request's outcome (`keyedRefundError`).
 */
function toError(response: Response, error: unknown, checked: Checked): RefundError {
  const body = error ?? null;
  const code = classify(response.status, body);
  return keyedRefundError(fail, code, response, body, describeError(body), checked);
}

/** Sezzle's idempotency handle on an outgoing request: its `Sezzle-Request-Id` header. */
function handleOf(request: Request): string | null {
  return request.headers.get("sezzle-request-id");
}

/**
 * Sezzle's adapter over a client factory: `sezzleAdapter` is this over `createSezzleClient`; the
 * `refundkit` facade uses it over `createSezzleCaller` (the same calls without openapi-fetch).
 */
export function sezzleAdapterWith(
  createClient: (options: SezzleClientOptions) => SezzleCaller,
): SezzleProviderAdapter {
  return defineAdapter({
    provider: PROVIDER,
    capabilities: sezzleCapabilities,
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

/** Sezzle's adapter for the refundkit facade: `connect(config)` then `refund(request)`. */
export const sezzleAdapter: SezzleProviderAdapter =
  /* @__PURE__ */ sezzleAdapterWith(createSezzleClient);
