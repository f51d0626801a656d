import { type ProviderWebhooks, unsupportedWebhooks } from "@refundkit/core/internal";
import type { LevelUpConfig } from "./client.js";

/**
 * LevelUp documents no refund webhook: its refunds are synchronous and full, confirmed by the
 * order's `refunded_at` (http://developer.thelevelup.com/api-reference/v14/orders-merchant-details/).
 * `verify` refuses with RefundError("unsupported"); use `refunds.retrieve`.
 */
export const levelupWebhooks: ProviderWebhooks<"levelup", LevelUpConfig> =
  /* @__PURE__ */ unsupportedWebhooks(
    "levelup",
    "LevelUp documents no refund webhook; read the order back with refunds.retrieve",
  );
