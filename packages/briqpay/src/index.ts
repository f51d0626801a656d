/**
 * @refundkit/briqpay: the same names in every provider package (the client, its config and options,
 * the refund request, the adapter the facade uses, the capabilities, refund lookup and webhooks,
 * the generated API types and hosts). Names only one provider has come last, with the reason.
 */
export {
  type BriqpayProviderAdapter,
  type BriqpayRefundRequest,
  briqpayAdapter,
  briqpayAdapterWith,
  briqpayCapabilities,
} from "./adapter.js";
export {
  type BriqpayCaller,
  type BriqpayClient,
  type BriqpayClientOptions,
  type BriqpayConfig,
  createBriqpayCaller,
  createBriqpayClient,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export {
  type Environment as BriqpayEnvironment,
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
export { briqpayLifecycleCapabilities, briqpayLookup, briqpayLookupWith } from "./lookup.js";
// Briqpay only: the exact cart totals its refund body must match, and signing a test webhook.
export { type BriqpayLine, type BriqpayTotals, briqpayCartTotals } from "./totals.js";
export { briqpayWebhooks, signBriqpayWebhook } from "./webhook.js";
