/**
 * @refundkit/sezzle: the same names in every provider package (the client, its config and options,
 * the refund request, the adapter the facade uses, the capabilities, the generated API types and
 * hosts). Names only one provider has come last, each with the reason.
 */
export {
  type SezzleProviderAdapter,
  type SezzleRefundRequest,
  sezzleAdapter,
  sezzleCapabilities,
} from "./adapter.js";
// Sezzle only: the US/EU host choice (https://docs.sezzle.com/docs/api/core/environments).
export {
  createSezzleClient,
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
