/**
 * @refundkit/sezzle: the same names in every provider package (the client, its config and options,
 * the refund request, the adapter the facade uses, the capabilities, refund lookup and webhooks,
 * the generated API types and hosts). Names only one provider has come last, with the reason.
 */
export {
  type SezzleProviderAdapter,
  type SezzleRefundRequest,
  sezzleAdapter,
  sezzleAdapterWith,
  sezzleCapabilities,
} from "./adapter.js";
// Sezzle only: the US/EU host choice, and signing a test webhook the way Sezzle does.
export {
  createSezzleCaller,
  createSezzleClient,
  type SezzleCaller,
  type SezzleClient,
  type SezzleClientOptions,
  type SezzleConfig,
  type SezzleEnvironment,
  type SezzleRegion,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export {
  operations as operationInfo,
  servers,
  serversByRegion,
} from "./generated/spec.js";
export { sezzleLifecycleCapabilities, sezzleLookup, sezzleLookupWith } from "./lookup.js";
export { sezzleWebhooks, signSezzleWebhook } from "./webhook.js";
