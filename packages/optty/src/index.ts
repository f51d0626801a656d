export {
  type OpttyProviderAdapter,
  type OpttyRefundRequest,
  opttyAdapter,
  opttyCapabilities,
} from "./adapter.js";
export {
  createOpttyClient,
  type OpttyClient,
  type OpttyClientOptions,
  type OpttyConfig,
  type OpttyEndpoints,
  type OpttyEnvironment,
  resolveOpttyEndpoints,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export { operations as operationInfo, servers } from "./generated/spec.js";
export { opttyLifecycleCapabilities, opttyLookup, toRetrieved } from "./lookup.js";
export { opttyWebhooks } from "./webhook.js";
