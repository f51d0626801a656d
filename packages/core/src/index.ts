export {
  isRefundError,
  RefundError,
  type RefundErrorCode,
  type RefundErrorOptions,
} from "./errors.js";
export type {
  BaseRefundRequest,
  Capabilities,
  Environment,
  ProviderAdapter,
  ProviderName,
  RefundAdapter,
  RefundResult,
  TransportOptions,
} from "./types.js";
export { PROVIDERS } from "./types.js";
