export {
  type MoyasarRefundRequest,
  moyasarAdapter,
  moyasarCapabilities,
} from "./adapter.js";
export {
  createMoyasarClient,
  type MoyasarClient,
  type MoyasarClientOptions,
  type MoyasarConfig,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export {
  alternativeServers,
  type Environment,
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
export { moyasarLifecycleCapabilities, moyasarLookup, toRetrieved } from "./lookup.js";
export { moyasarWebhooks } from "./webhook.js";
