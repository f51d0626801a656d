import {
  assertPathId,
  defineLookup,
  isCurrencyCode,
  isRecord,
  type LifecycleCapabilities,
  majorToMinor,
  type ProviderLookup,
  type RetrievedOrder,
  type RetrievedRefund,
  type RetrievedRefundStatus,
  retrievedOrder,
} from "@refundkit/core/internal";
import {
  createOpttyClient,
  type OpttyCaller,
  type OpttyClientOptions,
  type OpttyConfig,
} from "./client.js";

const PROVIDER = "optty";

/**
 * Optty documents Transaction Details (a lookup) but no refund webhook: its notifications name
 * no refund event and carry no signature (https://docs.optty.com/custom-api-or-headless/custom-integration-setup-and-integration/notifications).
 */
export const opttyLifecycleCapabilities: LifecycleCapabilities = /* @__PURE__ */ Object.freeze({
  retrieve: true,
  webhooks: "none",
});

/**
 * Optty's refund status words: SUCCESSFUL in the docs; PENDING "is not final"
 * (https://docs.optty.com/universal-integration-features/notification-handling); failure words
 * as the official WooCommerce plugin's status enum has them (failed, declined, canceled) plus
 * the redirect statuses CANCELLED and ERROR. Anything else is treated as not final.
 */
function statusOf(value: unknown): RetrievedRefundStatus {
  const word = typeof value === "string" ? value.trim().toUpperCase() : "";
  if (word === "SUCCESSFUL" || word === "SUCCESS") return "succeeded";
  if (["FAILED", "DECLINED", "CANCELED", "CANCELLED", "ERROR", "REJECTED"].includes(word)) {
    return "failed";
  }
  return "pending";
}

/** A decimal major-unit amount ("240", 240.5) in integer minor units, exactly; null if unreadable. */
function minorOf(value: unknown, currency: string | null): number | null {
  if (currency === null || !isCurrencyCode(currency)) return null;
  if (typeof value !== "string" && typeof value !== "number") return null;
  try {
    return majorToMinor(value, currency);
  } catch {
    return null;
  }
}

/**
 * The refunds of a Transaction Details answer (https://docs.optty.com/api-references/transaction-details):
 * `refunds[]` with decimal major-unit amounts (strings in the docs), converted with the
 * currency's ISO 4217 exponent. Returns null when the body is not an order.
 */
export function toRetrieved(orderId: string, body: unknown): RetrievedOrder<"optty"> | null {
  if (!isRecord(body)) return null;
  const currency = typeof body.currency === "string" ? body.currency : null;
  const listed = Array.isArray(body.refunds) ? body.refunds : [];
  const refunds: RetrievedRefund[] = listed.filter(isRecord).map((refund) => {
    const refundCurrency = typeof refund.currency === "string" ? refund.currency : currency;
    return {
      refundId: typeof refund.refundId === "string" ? refund.refundId : null,
      amount: minorOf(refund.amount, refundCurrency),
      currency: refundCurrency,
      status: statusOf(refund.status),
      createdAt: typeof refund.createdAt === "string" ? refund.createdAt : null,
    };
  });
  return retrievedOrder(PROVIDER, orderId, currency, refunds, body);
}

/**
 * Optty's order lookup (Transaction Details) over a client factory: `opttyLookup` is this over
 * `createOpttyClient`; the `refundkit` facade uses it over `createOpttyCaller`.
 */
export function opttyLookupWith(
  createClient: (options: OpttyClientOptions) => OpttyCaller,
): ProviderLookup<"optty", OpttyConfig> {
  return defineLookup({
    provider: PROVIDER,
    capabilities: opttyLifecycleCapabilities,
    where: "POST /orders/{merchantReference}/details",
    shape: "an order",
    createClient,
    validate: (orderId) => assertPathId(PROVIDER, "orderId", orderId),
    send: (client, orderId, init) =>
      client.POST("/orders/{merchantReference}/details", {
        params: { path: { merchantReference: orderId } },
        ...init,
      }),
    toRetrieved,
  });
}

/** Optty's Transaction Details, `POST /orders/{merchantReference}/details` (no body). */
export const opttyLookup: ProviderLookup<"optty", OpttyConfig> =
  /* @__PURE__ */ opttyLookupWith(createOpttyClient);
