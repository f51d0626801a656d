import {
  type LifecycleCapabilities,
  type ProviderLookup,
  type RetrievedOrder,
  unsupportedLookup,
} from "@refundkit/core/internal";
import type { MoyasarConfig } from "./client.js";

const PROVIDER = "moyasar";

/**
 * MPG documents no merchant-side order lookup and no webhooks. The only MPG order read that is
 * documented is the acquirer API (https://mpg-acquirer-docs.moyasar.com/api/orders/orders-api),
 * with acquirer keys, not a merchant's; classic api.moyasar.com's payment webhooks are another
 * product. So both are refused, never guessed.
 */
export const moyasarLifecycleCapabilities: LifecycleCapabilities = /* @__PURE__ */ Object.freeze({
  retrieve: false,
  webhooks: "none",
});

const REASON =
  "MPG documents no merchant order lookup (only the acquirer API, https://mpg-acquirer-docs.moyasar.com/api/orders/orders-api, with acquirer keys); retry a refund with the same transactionId instead";

/** No documented lookup to map: always null. Kept so every provider package has the same shape. */
export function toRetrieved(_orderId: string, _body: unknown): RetrievedOrder<"moyasar"> | null {
  return null;
}

/** MPG's lookup: refused with RefundError("unsupported") until MPG documents one. */
export const moyasarLookup: ProviderLookup<"moyasar", MoyasarConfig> =
  /* @__PURE__ */ unsupportedLookup(PROVIDER, moyasarLifecycleCapabilities, REASON);
