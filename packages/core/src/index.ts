export { isAbort } from "./abort.js";
export { type AdapterDefinition, defineAdapter } from "./adapter.js";
export { type AuthFetchOptions, createAuthFetch, createBearerFetch } from "./auth-fetch.js";
export {
  assertHeaderSafe,
  assertHttpUrl,
  configError,
  type HostConfig,
  optionalString,
  requireSecret,
  resolveBaseUrl,
  resolveTokenOrPair,
  type TokenOrPair,
} from "./config.js";
export {
  asNetworkError,
  type ErrorDetails,
  isRefundError,
  RefundError,
  type RefundErrorCode,
  type RefundErrorOptions,
  refundError,
  refundErrorFor,
} from "./errors.js";
export {
  bodyOf,
  errorCodeForStatus,
  isRetryableStatus,
  type JsonBody,
  parseJson,
  readJsonBody,
  refusalIn,
  tokenEndpointError,
} from "./http.js";
export {
  currencyCodes,
  currencyExponent,
  isCurrencyCode,
  majorToMinor,
  minorToMajor,
  minorToMajorNumber,
} from "./money.js";
export { OutgoingRequest } from "./outgoing-request.js";
export { redactHeaders, Secret } from "./redact.js";
export {
  type BackoffOptions,
  createResilientFetch,
  parseRetryAfter,
  type ResilientFetchOptions,
  type RetryReason,
} from "./resilient-fetch.js";
export {
  createTokenCache,
  type FetchedToken,
  type TokenCache,
  type TokenCacheOptions,
} from "./token-cache.js";
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
export {
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  newIdempotencyKey,
} from "./validate.js";
