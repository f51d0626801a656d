export {
  type BriqpayRefundRequest,
  briqpayAdapter,
  briqpayCapabilities,
} from "./adapter.js";
export {
  type BriqpayClient,
  type BriqpayClientOptions,
  type BriqpayConfig,
  createBriqpayClient,
} from "./client.js";
export type { components, operations, paths } from "./generated/openapi.js";
export {
  alternativeServers,
  type Environment,
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
export { type BriqpayLine, type BriqpayTotals, briqpayCartTotals } from "./totals.js";
