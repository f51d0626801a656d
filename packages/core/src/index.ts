export type {
  BaseRefundRequest,
  Capabilities,
  Environment,
  ProviderName,
  RefundAdapter,
  RefundResult,
  TransportOptions,
} from "./types.js";
export { PROVIDERS } from "./types.js";
export { RefundError, isRefundError, type RefundErrorCode, type RefundErrorOptions } from "./errors.js";
