import { type ProviderWebhooks, unsupportedWebhooks } from "@refundkit/core/internal";
import type { OpttyConfig } from "./client.js";

/**
 * Optty documents no refund webhook to verify: its notifications name no refund event, the rest
 * of their fields were not published, and they carry no signature (only the browser redirect is
 * signed). https://docs.optty.com/custom-api-or-headless/custom-integration-setup-and-integration/notifications
 * So `verify` refuses with RefundError("unsupported"); follow a pending Optty refund with
 * `refunds.waitUntilFinal` (Transaction Details) instead.
 */
export const opttyWebhooks: ProviderWebhooks<"optty", OpttyConfig> =
  /* @__PURE__ */ unsupportedWebhooks(
    "optty",
    "Optty documents no refund webhook or webhook signature; use refunds.waitUntilFinal or refunds.retrieve (Transaction Details)",
  );
