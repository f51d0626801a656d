/**
 * @refundkit/moyasar: the same names in every provider package (the client, its config and options,
 * the refund request, the adapter the facade uses, the capabilities, refund lookup and webhooks,
 * the generated API types and hosts). Names only one provider has come last, with the reason.
 */
export {
  type MoyasarProviderAdapter,
  type MoyasarRefundRequest,
  moyasarAdapter,
  moyasarAdapterWith,
  moyasarCapabilities,
} from "./adapter.js";
export {
  createMoyasarCaller,
  createMoyasarClient,
  type MoyasarCaller,
  type MoyasarClient,
  type MoyasarClientOptions,
  type MoyasarConfig,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export {
  type Environment as MoyasarEnvironment,
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
export { moyasarLifecycleCapabilities, moyasarLookup } from "./lookup.js";
export { moyasarWebhooks } from "./webhook.js";
