import {
  assertPathId,
  defineLookup,
  isRecord,
  type LifecycleCapabilities,
  type ProviderLookup,
  type RetrievedOrder,
  type RetrievedRefund,
  type RetrievedRefundStatus,
  retrievedOrder,
} from "@refundkit/core/internal";
import {
  type BriqpayCaller,
  type BriqpayClientOptions,
  type BriqpayConfig,
  createBriqpayClient,
} from "./client.js";

const PROVIDER = "briqpay";

/** Briqpay documents a session read and unauthenticated hooks, verified by reading back. */
export const briqpayLifecycleCapabilities: LifecycleCapabilities = /* @__PURE__ */ Object.freeze({
  retrieve: true,
  webhooks: "read-back",
});

/**
 * Briqpay's refund statuses: pending ("Refund is pending"), approved, rejected
 * (https://developer.briqpay.com/docs/3.0.0/api/refund-status). Briqpay's own WooCommerce plugin
 * also takes `successful` as approved, and its commercetools connector knows `cancelled`.
 * Anything else is treated as not final.
 */
export function briqpayStatus(value: unknown): RetrievedRefundStatus {
  const word = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (word === "approved" || word === "successful") return "succeeded";
  if (word === "rejected" || word === "cancelled" || word === "canceled") return "failed";
  return "pending";
}

/**
 * The refunds of a session read (https://developer.briqpay.com/docs/3.0.0/api/read-session):
 * `data.refunds[]` (the top-level `refunds[]` is deprecated, read only when `data.refunds` is
 * absent), amounts `amountIncVat` in minor units. Returns null when the body is not a session.
 */
export function toRetrieved(orderId: string, body: unknown): RetrievedOrder<"briqpay"> | null {
  if (!isRecord(body)) return null;
  const data = isRecord(body.data) ? body.data : {};
  const listed = Array.isArray(data.refunds)
    ? data.refunds
    : Array.isArray(body.refunds)
      ? body.refunds
      : [];
  const order = isRecord(data.order) ? data.order : {};
  const currency = typeof order.currency === "string" ? order.currency : null;
  const refunds: RetrievedRefund[] = listed.filter(isRecord).map((refund) => ({
    refundId: typeof refund.refundId === "string" ? refund.refundId : null,
    amount:
      typeof refund.amountIncVat === "number" && Number.isSafeInteger(refund.amountIncVat)
        ? refund.amountIncVat
        : null,
    currency: typeof refund.currency === "string" ? refund.currency : currency,
    status: briqpayStatus(refund.status),
    createdAt: typeof refund.createdAt === "string" ? refund.createdAt : null,
  }));
  return retrievedOrder(
    PROVIDER,
    orderId,
    currency ?? refunds.find((refund) => refund.currency !== null)?.currency ?? null,
    refunds,
    body,
  );
}

/**
 * Briqpay's session read over a client factory: `briqpayLookup` is this over
 * `createBriqpayClient`; the `refundkit` facade uses it over `createBriqpayCaller`.
 */
export function briqpayLookupWith(
  createClient: (options: BriqpayClientOptions) => BriqpayCaller,
): ProviderLookup<"briqpay", BriqpayConfig> {
  return defineLookup({
    provider: PROVIDER,
    capabilities: briqpayLifecycleCapabilities,
    where: "GET /v3/session/{sessionId}",
    shape: "a session",
    createClient,
    validate: (orderId) => assertPathId(PROVIDER, "orderId (the Briqpay session id)", orderId),
    send: (client, orderId, init) =>
      client.GET("/session/{sessionId}", { params: { path: { sessionId: orderId } }, ...init }),
    toRetrieved,
  });
}

/** Briqpay's session read, `GET /v3/session/{sessionId}`. */
export const briqpayLookup: ProviderLookup<"briqpay", BriqpayConfig> =
  /* @__PURE__ */ briqpayLookupWith(createBriqpayClient);
