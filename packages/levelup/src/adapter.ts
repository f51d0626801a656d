import {
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  type BaseRefundRequest,
  type CallInit,
  type Capabilities,
  defineAdapter,
  errorCodeForStatus,
  isRecord,
  type ProviderAdapter,
  type RefundError,
  type RefundResult,
  refundErrorFor,
  refundSteps,
  refusal,
  retryAfterMsOf,
} from "@refundkit/core/internal";
import {
  createLevelUpClient,
  type LevelUpCaller,
  type LevelUpClientOptions,
  type LevelUpConfig,
} from "./client.js";
import type { components } from "./generated/openapi.js";

/** The unified refund request for LevelUp: full refunds only, so no `amount`. */
export type LevelUpRefundRequest = BaseRefundRequest & {
  /** The merchant's manager confirmation code, if it uses one (uncommon). */
  managerConfirmation?: string;
};

/** LevelUp refunds whole orders, has no idempotency handle and answers synchronously. */
export const levelupCapabilities: Capabilities = /* @__PURE__ */ Object.freeze({
  partialRefunds: false,
  fullRefundWithoutAmount: true,
  idempotency: "none",
  pendingResults: false,
  lineItems: false,
});

/** LevelUp's side of the unified refund: config and request types of `levelupAdapter`. */
export type LevelUpProviderAdapter = ProviderAdapter<
  "levelup",
  LevelUpConfig,
  LevelUpRefundRequest
>;

const PROVIDER = "levelup";
/** The refund: https://developer.thelevelup.com/api-reference/v14/orders-refunds/ */
const PATH = "/v14/orders/{uuid}/refund";
/** LevelUp amounts are US cents (http://developer.thelevelup.com/api-reference/v14/orders-merchant-details/). */
const DEFAULT_CURRENCY = "USD";

const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

type RefundBody = components["schemas"]["RefundRequest"];

/** A request `validate` accepted, as it goes out. LevelUp has no idempotency handle: unkeyed. */
interface Checked {
  orderId: string;
  amount: undefined;
  currency: string | undefined;
  idempotencyKey: null;
  managerConfirmation: string | undefined;
}

/** Every rule LevelUp's refund has, before any request: RefundError otherwise. */
function validate(request: LevelUpRefundRequest): Checked {
  assertPathId(PROVIDER, "orderId", request.orderId);
  if (request.amount !== undefined) {
    throw refusal(
      PROVIDER,
      "unsupported",
      "LevelUp refunds whole orders only: omit amount (the order's total is refunded)",
    );
  }
  if (request.currency !== undefined) assertCurrency(PROVIDER, request.currency);
  if (request.idempotencyKey !== undefined) {
    assertIdempotencyKey(PROVIDER, request.idempotencyKey);
  }
  assertOptionalString(PROVIDER, "reason", request.reason, 1000);
  assertOptionalString(PROVIDER, "managerConfirmation", request.managerConfirmation, 255);
  if (request.managerConfirmation === "") {
    throw refusal(PROVIDER, "invalid_request", "managerConfirmation must not be empty when given");
  }
  const { orderId, currency, managerConfirmation } = request;
  return { orderId, amount: undefined, currency, idempotencyKey: null, managerConfirmation };
}

/** The refund body: no amount (the whole order), the manager confirmation when given. */
function toWire({ managerConfirmation }: Checked): RefundBody {
  return {
    refund: managerConfirmation === undefined ? {} : { manager_confirmation: managerConfirmation },
  };
}

/** The typed call, the body from `toWire`. */
function send(client: LevelUpCaller, checked: Checked, init: CallInit) {
  const params = { path: { uuid: checked.orderId } };
  return client.POST(PATH, { params, body: toWire(checked), ...init });
}

/** The order's total in cents, from a 2xx answer's `order.total_amount`; null when absent. */
function totalAmount(raw: unknown): number | null {
  const total = isRecord(raw) && isRecord(raw.order) ? raw.order.total_amount : undefined;
  return typeof total === "number" && Number.isSafeInteger(total) ? total : null;
}

/** A 2xx: the whole order was refunded; LevelUp names no refund id. */
function toResult({ orderId, currency }: Checked, raw: unknown): RefundResult<"levelup"> {
  return {
    provider: PROVIDER,
    orderId,
    status: "succeeded",
    refundId: null,
    amount: totalAmount(raw),
    currency: currency ?? DEFAULT_CURRENCY,
    idempotencyKey: null,
    raw,
  };
}

/** The first `{error: {property, message}}` of LevelUp's 422 array, if the body is one. */
function firstError(body: unknown): { property?: unknown; message?: unknown } | undefined {
  return Array.isArray(body)
    ? body.map((item: unknown) => (isRecord(item) ? item.error : undefined)).find(isRecord)
    : undefined;
}

function providerMessage(error: { message?: unknown } | undefined): string {
  return typeof error?.message === "string" ? `: ${error.message.slice(0, 300)}` : "";
}

/** Any other status: LevelUp rows of "Provider answer -> RefundError": https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#provider-answer---refunderror */
function toError(response: Response, error: unknown): RefundError {
  const { status } = response;
  // openapi-fetch already parsed a JSON error body; an empty body (the 404) is undefined.
  const raw = error ?? "";
  const where = `POST /v14/orders/{uuid}/refund answered ${status}`;
  if (status === 404) {
    return fail("not_found", `${where}: the order does not exist`, { status, raw });
  }
  if (status === 422) {
    const error = firstError(raw);
    const property = error?.property;
    // `base`: the order was refunded already; `manager_confirmation`: that field was refused.
    // Undocumented 422s: LevelUp's documented 422 means "unable to be refunded"
    // (https://developer.thelevelup.com/api-reference/v14/orders-refunds/).
    const code =
      property === "base"
        ? "already_refunded"
        : property === "manager_confirmation"
          ? "invalid_request"
          : "not_refundable";
    return fail(code, `${where}${providerMessage(error)}`, { status, raw });
  }
  if (status === 401) {
    return fail("authentication_failed", `${where}: the merchant token was refused`, {
      status,
      raw,
    });
  }
  if (status === 429) {
    return fail("rate_limited", where, {
      status,
      raw,
      retryable: true,
      retryAfterMs: retryAfterMsOf(response),
    });
  }
  // 5xx: no idempotency handle, so the refund may have happened; never retryable.
  return fail(errorCodeForStatus(status), where, { status, raw });
}

/**
 * LevelUp's adapter over a client factory: `levelupAdapter` is this over `createLevelUpClient`;
 * the `refundkit` facade uses it over `createLevelUpCaller` (the same calls without openapi-fetch).
 */
export function levelupAdapterWith(
  createClient: (options: LevelUpClientOptions) => LevelUpCaller,
): LevelUpProviderAdapter {
  return defineAdapter({
    provider: PROVIDER,
    capabilities: levelupCapabilities,
    createClient,
    refund: refundSteps({ provider: PROVIDER, validate, send, toResult, toError }),
  });
}

/** LevelUp's adapter for the refundkit facade: `connect(config)` then `refund(request)`. */
export const levelupAdapter: LevelUpProviderAdapter =
  /* @__PURE__ */ levelupAdapterWith(createLevelUpClient);
