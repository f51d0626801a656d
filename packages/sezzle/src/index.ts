export {
  type SezzleProviderAdapter,
  type SezzleRefundRequest,
  sezzleAdapter,
  sezzleCapabilities,
} from "./adapter.js";
export {
  createSezzleClient,
  resolveSezzleBaseUrl,
  type SezzleClient,
  type SezzleClientOptions,
  type SezzleConfig,
  type SezzleEnvironment,
  type SezzleRegion,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export { operations as operationInfo, servers, serversByRegion } from "./generated/spec.js";
export { sezzleLifecycleCapabilities, sezzleLookup, toRetrieved } from "./lookup.js";
export { SEZZLE_WEBHOOK_TOLERANCE_MS, sezzleWebhooks, signSezzleWebhook } from "./webhook.js";
