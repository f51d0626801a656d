/**
 * @refundkit/briqpay: the same names in every provider package (the client, its config and options,
 * the refund request, the adapter the facade uses, the capabilities, the generated API types and
 * hosts). Names only one provider has come last, each with the reason.
 */
export {
  type BriqpayProviderAdapter,
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
  type Environment as BriqpayEnvironment,
  operations as operationInfo,
  servers,
} from "./generated/spec.js";
// Briqpay only: the exact cart totals its refund body must match.
export { type BriqpayLine, type BriqpayTotals, briqpayCartTotals } from "./totals.js";
