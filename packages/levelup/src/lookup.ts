import {
  assertPathId,
  configError,
  defineLookup,
  isRecord,
  type LifecycleCapabilities,
  type ProviderLookup,
  type RetrievedOrder,
  type RetrievedRefund,
  refundErrorFor,
  retrievedOrder,
} from "@refundkit/core/internal";
import {
  createLevelUpClient,
  type LevelUpCaller,
  type LevelUpClientOptions,
  type LevelUpConfig,
} from "./client.js";

const PROVIDER = "levelup";
const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

/** LevelUp documents a merchant order lookup and no refund webhook. */
export const levelupLifecycleCapabilities: LifecycleCapabilities = /* @__PURE__ */ Object.freeze({
  retrieve: true,
  webhooks: "none",
});

/** `merchantId` as the path needs it: a positive integer, given as a number or numeric string. */
export function levelupMerchantId(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const id =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^[1-9][0-9]{0,15}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw configError(PROVIDER, "merchantId must be a positive integer (or a numeric string)");
  }
  return id;
}

function cents(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/**
 * The refund of a merchant order lookup (http://developer.thelevelup.com/api-reference/v14/orders-merchant-details/):
 * LevelUp has no refund list or status, only `refunded_at` ("String (Date) or null"). Set, the
 * order was refunded in full ("LevelUp refunds will void the full amount charged to the
 * consumer", http://developer.thelevelup.com/resources-and-guides/refunds/): one succeeded
 * refund of `total_amount` cents (null where the answer has no amounts, as v15's example), no
 * refund id. Null `refunded_at`: no refunds. Returns null when the body is not an order.
 */
export function toRetrieved(orderId: string, body: unknown): RetrievedOrder<"levelup"> | null {
  if (!isRecord(body) || !isRecord(body.order)) return null;
  const order = body.order;
  if (order.refunded_at !== null && typeof order.refunded_at !== "string") return null;
  // LevelUp amounts are US cents (http://developer.thelevelup.com/api-reference/v14/orders-merchant-details/).
  const currency = "USD";
  const refunds: RetrievedRefund[] =
    order.refunded_at === null
      ? []
      : [
          {
            refundId: null,
            amount: cents(order.total_amount),
            currency,
            status: "succeeded",
            createdAt: order.refunded_at,
          },
        ];
  return retrievedOrder(PROVIDER, orderId, currency, refunds, body);
}

/** The lookup client: LevelUp's client and the merchant the lookup is for. */
interface LevelUpLookupClient {
  client: LevelUpCaller;
  merchantId: number | undefined;
}

/**
 * LevelUp's merchant-oriented order details over a client factory: `levelupLookup` is this over
 * `createLevelUpClient`; the `refundkit` facade uses it over `createLevelUpCaller`.
 */
export function levelupLookupWith(
  createClient: (options: LevelUpClientOptions) => LevelUpCaller,
): ProviderLookup<"levelup", LevelUpConfig> {
  return defineLookup({
    provider: PROVIDER,
    capabilities: levelupLifecycleCapabilities,
    where: "GET /v14/merchants/{merchantId}/orders/{uuid}",
    shape: "an order",
    createClient: (options): LevelUpLookupClient => {
      const merchantId = levelupMerchantId(options.merchantId);
      return { client: createClient(options), merchantId };
    },
    validate: (orderId, { merchantId }) => {
      if (merchantId === undefined) {
        throw fail(
          "invalid_request",
          "merchantId is required to read an order back (LevelUp's lookup is per merchant): set config.levelup.merchantId",
        );
      }
      assertPathId(PROVIDER, "orderId", orderId);
    },
    // `validate` refused a missing merchantId.
    send: ({ client, merchantId }, orderId, init) =>
      client.GET("/v14/merchants/{merchantId}/orders/{uuid}", {
        params: { path: { merchantId: merchantId as number, uuid: orderId } },
        ...init,
      }),
    toRetrieved,
  });
}

/** LevelUp's merchant-oriented order details; needs `merchantId` in the config. */
export const levelupLookup: ProviderLookup<"levelup", LevelUpConfig> =
  /* @__PURE__ */ levelupLookupWith(createLevelUpClient);
