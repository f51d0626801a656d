/**
 * @refundkit/optty: the same names in every provider package (the client, its config and options,
 * the refund request, the adapter the facade uses, the capabilities, refund lookup and webhooks,
 * the generated API types and hosts). Names only one provider has come last, with the reason.
 */
export {
  type OpttyProviderAdapter,
  type OpttyRefundRequest,
  opttyAdapter,
  opttyAdapterWith,
  opttyCapabilities,
} from "./adapter.js";
export {
  createOpttyCaller,
  createOpttyClient,
  type OpttyCaller,
  type OpttyClient,
  type OpttyClientOptions,
  type OpttyConfig,
  type OpttyEnvironment,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export {
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
export { opttyLifecycleCapabilities, opttyLookup, opttyLookupWith } from "./lookup.js";
export { opttyWebhooks } from "./webhook.js";
