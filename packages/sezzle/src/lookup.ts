import {
  assertPathId,
  defineLookup,
  isRecord,
  type LifecycleCapabilities,
  type ProviderLookup,
  type RetrievedOrder,
  type RetrievedRefund,
  retrievedOrder,
} from "@refundkit/core/internal";
import {
  createSezzleClient,
  type SezzleCaller,
  type SezzleClientOptions,
  type SezzleConfig,
} from "./client.js";

const PROVIDER = "sezzle";

/** Sezzle documents an order lookup and signed webhooks. */
export const sezzleLifecycleCapabilities: LifecycleCapabilities = /* @__PURE__ */ Object.freeze({
  retrieve: true,
  webhooks: "signed",
});

function price(value: unknown): { amount: number; currency: string } | null {
  if (!isRecord(value)) return null;
  const { amount_in_cents: amount, currency } = value;
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || typeof currency !== "string") {
    return null;
  }
  return { amount, currency };
}

/**
 * The refunds of a `GET /v2/order/{order_uuid}` answer
 * (https://docs.sezzle.com/docs/api/core/orders/getv2order): `authorization.refunds[]`, each only
 * `{uuid, amount}`. Sezzle's refund call is synchronous and a listed refund has been made, so each
 * is `succeeded`; Sezzle gives no refund time (`createdAt: null`). Returns null when the body is
 * not an order.
 */
export function toRetrieved(orderId: string, body: unknown): RetrievedOrder<"sezzle"> | null {
  if (!isRecord(body)) return null;
  const authorization = isRecord(body.authorization) ? body.authorization : {};
  const listed = Array.isArray(authorization.refunds) ? authorization.refunds : [];
  const refunds: RetrievedRefund[] = listed.filter(isRecord).map((refund) => {
    const money = price(refund.amount);
    return {
      refundId: typeof refund.uuid === "string" ? refund.uuid : null,
      amount: money?.amount ?? null,
      currency: money?.currency ?? null,
      status: "succeeded",
      createdAt: null,
    };
  });
  const currency =
    price(body.order_amount)?.currency ??
    price(authorization.authorization_amount)?.currency ??
    refunds.find((refund) => refund.currency !== null)?.currency ??
    null;
  return retrievedOrder(PROVIDER, orderId, currency, refunds, body);
}

/**
 * Sezzle's order lookup, `GET /v2/order/{order_uuid}`, over a client factory: `sezzleLookup` is
 * this over `createSezzleClient`; the `refundkit` facade uses it over `createSezzleCaller`.
 */
export function sezzleLookupWith(
  createClient: (options: SezzleClientOptions) => SezzleCaller,
): ProviderLookup<"sezzle", SezzleConfig> {
  return defineLookup({
    provider: PROVIDER,
    capabilities: sezzleLifecycleCapabilities,
    where: "GET /v2/order/{order_uuid}",
    shape: "an order",
    createClient,
    validate: (orderId) => assertPathId(PROVIDER, "orderId", orderId),
    send: (client, orderId, init) =>
      client.GET("/v2/order/{order_uuid}", { params: { path: { order_uuid: orderId } }, ...init }),
    toRetrieved,
  });
}

/** Sezzle's order lookup, `GET /v2/order/{order_uuid}` with the refund's credentials. */
export const sezzleLookup: ProviderLookup<"sezzle", SezzleConfig> =
  /* @__PURE__ */ sezzleLookupWith(createSezzleClient);
