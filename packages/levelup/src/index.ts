/**
 * @refundkit/levelup: the same names in every provider package (the client, its config and options,
 * the refund request, the adapter the facade uses, the capabilities, refund lookup and webhooks,
 * the generated API types and hosts). Names only one provider has come last, with the reason.
 */
export {
  type LevelUpProviderAdapter,
  type LevelUpRefundRequest,
  levelupAdapter,
  levelupAdapterWith,
  levelupCapabilities,
} from "./adapter.js";
export {
  createLevelUpCaller,
  createLevelUpClient,
  type LevelUpCaller,
  type LevelUpClient,
  type LevelUpClientOptions,
  type LevelUpConfig,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
// LevelUp only: the second sandbox host its docs also show.
export {
  alternativeServers,
  type Environment as LevelUpEnvironment,
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
export { levelupLifecycleCapabilities, levelupLookup, levelupLookupWith } from "./lookup.js";
export { levelupWebhooks } from "./webhook.js";
