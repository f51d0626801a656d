import {
  asNetworkError,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  type BaseRefundRequest,
  bodyOf,
  type Capabilities,
  defineAdapter,
  errorCodeForStatus,
  isRecord,
  type ProviderAdapter,
  type RefundError,
  type RefundResult,
  refundErrorFor,
  retryAfterMsOf,
} from "@refundkit/core/internal";
import { createLevelUpClient, type LevelUpClient, type LevelUpConfig } from "./client.js";

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

const PATH = "/v14/orders/{uuid}/refund";

const PROVIDER = "levelup";

const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

function validate(request: LevelUpRefundRequest): void {
  assertPathId(PROVIDER, "orderId", request.orderId);
  if (request.amount !== undefined) {
    throw fail(
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
    throw fail("invalid_request", "managerConfirmation must not be empty when given");
  }
}

/** The first `{error: {property, message}}` of LevelUp's 422 array, if the body is one. */
function firstError(body: unknown): { property?: unknown; message?: unknown } | undefined {
  if (!Array.isArray(body)) return undefined;
  for (const item of body) {
    if (isRecord(item) && "error" in item) {
      const error: unknown = item.error;
      if (isRecord(error)) return error;
    }
  }
  return undefined;
}

function providerMessage(error: { message?: unknown } | undefined): string {
  return typeof error?.message === "string" ? `: ${error.message.slice(0, 300)}` : "";
}

/** LevelUp rows of "Provider answer -> RefundError": https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#provider-answer---refunderror */
function toError(response: Response, raw: unknown): RefundError {
  const { status } = response;
  const where = `POST /v14/orders/{uuid}/refund answered ${status}`;
  if (status === 404) {
    return fail("not_found", `${where}: the order does not exist`, { status, raw });
  }
  if (status === 422) {
    const error = firstError(raw);
    const detail = providerMessage(error);
    if (error?.property === "base") {
      return fail("already_refunded", `${where}${detail}`, { status, raw });
    }
    if (error?.property === "manager_confirmation") {
      return fail("invalid_request", `${where}${detail}`, { status, raw });
    }
    // Undocumented 422s: LevelUp's documented 422 means "unable to be refunded"
    // (https://developer.thelevelup.com/api-reference/v14/orders-refunds/).
    return fail("not_refundable", `${where}${detail}`, { status, raw });
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

function totalAmount(raw: unknown): number | null {
  if (!isRecord(raw)) return null;
  const order: unknown = raw.order;
  if (!isRecord(order)) return null;
  const total: unknown = order.total_amount;
  return typeof total === "number" && Number.isSafeInteger(total) ? total : null;
}

/** Sends one validated refund and maps the answer. */
async function refundWith(
  client: LevelUpClient,
  request: LevelUpRefundRequest,
): Promise<RefundResult<"levelup">> {
  validate(request);
  const { orderId, managerConfirmation, signal } = request;
  const { data, error, response } = await client
    .POST(PATH, {
      params: { path: { uuid: orderId } },
      body: {
        refund:
          managerConfirmation === undefined ? {} : { manager_confirmation: managerConfirmation },
      },
      parseAs: "stream",
      signal,
    })
    .catch(
      asNetworkError(PROVIDER, `refund of order ${orderId} failed before an answer came`, signal),
    );
  if (response.ok) {
    // Any 2xx means the order was refunded: an unexpected body is kept in raw, never an error.
    const raw = await bodyOf(data);
    return {
      provider: PROVIDER,
      orderId,
      status: "succeeded",
      refundId: null,
      amount: totalAmount(raw),
      currency: request.currency ?? "USD",
      idempotencyKey: null,
      raw,
    };
  }
  // openapi-fetch already parsed a JSON error body; an empty body (the 404) is undefined.
  throw toError(response, error ?? "");
}

/** LevelUp's side of the unified refund. */
/** The adapter type the facade connects. */
export type LevelUpProviderAdapter = ProviderAdapter<
  "levelup",
  LevelUpConfig,
  LevelUpRefundRequest
>;

export const levelupAdapter: LevelUpProviderAdapter = /* @__PURE__ */ defineAdapter({
  provider: PROVIDER,
  capabilities: levelupCapabilities,
  createClient: createLevelUpClient,
  refund: refundWith,
});
