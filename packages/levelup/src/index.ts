export {
  type LevelUpRefundRequest,
  levelupAdapter,
  levelupCapabilities,
} from "./adapter.js";
export {
  createLevelUpClient,
  type LevelUpClient,
  type LevelUpClientOptions,
  type LevelUpConfig,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export {
  alternativeServers,
  type Environment,
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
export {
  levelupLifecycleCapabilities,
  levelupLookup,
  levelupMerchantId,
  toRetrieved,
} from "./lookup.js";
export { levelupWebhooks } from "./webhook.js";
