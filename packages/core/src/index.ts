/**
 * `@refundkit/core`: what applications use. The one error type (`RefundError`, `isRefundError`),
 * money helpers over integer minor units, and the types the provider packages and the facade share
 * (refund requests and results, lookups and webhook events). The adapter plumbing lives at
 * `@refundkit/core/internal` (no stability promise).
 */
export {
  isRefundError,
  RefundError,
  type RefundErrorCode,
  type RefundErrorOptions,
} from "./errors.js";
export type {
  LifecycleCapabilities,
  ReplayGuard,
  RetrievedOrder,
  RetrievedRefund,
  RetrievedRefundStatus,
  RetrieveOptions,
  WebhookContext,
  WebhookEvent,
  WebhookHeaders,
  WebhookInput,
} from "./lifecycle.js";
export { createReplayGuard } from "./lifecycle.js";
export {
  currencyCodes,
  currencyExponent,
  isCurrencyCode,
  majorToMinor,
  minorToMajor,
  minorToMajorNumber,
} from "./money.js";
export type { BackoffOptions } from "./resilient-fetch.js";
export type {
  BaseRefundRequest,
  Capabilities,
  Environment,
  ProviderName,
  RefundResult,
  TransportOptions,
} from "./types.js";
export { PROVIDERS } from "./types.js";
