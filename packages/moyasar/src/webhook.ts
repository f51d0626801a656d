import { type ProviderWebhooks, unsupportedWebhooks } from "@refundkit/core/internal";
import type { MoyasarConfig } from "./client.js";

/**
 * MPG documents no webhooks (classic api.moyasar.com's `payment_refunded` webhook with its secret
 * token belongs to another product, https://docs.moyasar.com/api/other/webhooks/webhook-reference).
 * `verify` refuses with RefundError("unsupported").
 */
export const moyasarWebhooks: ProviderWebhooks<"moyasar", MoyasarConfig> =
  /* @__PURE__ */ unsupportedWebhooks("moyasar", "MPG documents no webhooks");
