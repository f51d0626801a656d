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
export {
  briqpayLifecycleCapabilities,
  briqpayLookup,
  briqpayStatus,
  toRetrieved,
} from "./lookup.js";
export { type BriqpayLine, type BriqpayTotals, briqpayCartTotals } from "./totals.js";
export {
  BRIQPAY_SIGNATURE_TOLERANCE_MS,
  briqpayWebhooks,
  signBriqpayWebhook,
} from "./webhook.js";
