export { isAbort } from "./abort.js";
export { type AdapterContext, type AdapterDefinition, defineAdapter } from "./adapter.js";
export {
  declinedInAnswer,
  isInProgressAnswer,
  isInProgressResponse,
  refundOutcomeOf,
  retryAfterMsOf,
} from "./answers.js";
export { type AuthFetchOptions, createAuthFetch, createBearerFetch } from "./auth-fetch.js";
export {
  type ApiVersion,
  apiVersionOf,
  assertHeaderSafe,
  assertHttpUrl,
  configError,
  type HostConfig,
  normalizeBaseUrl,
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
  withIdempotencyKey,
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
  claimKey,
  createKeyMemory,
  DEFAULT_KEY_MEMORY,
  type KeyClaim,
  type KeyMemory,
  keyedCall,
} from "./key-memory.js";
export {
  bodyBytes,
  type ConnectedLookup,
  createReplayGuard,
  headerValue,
  isJsonObject,
  type LifecycleCapabilities,
  lifecycleUnsupported,
  lookupError,
  type ProviderLookup,
  type ProviderWebhooks,
  type ReplayGuard,
  type RetrievedOrder,
  type RetrievedRefund,
  type RetrievedRefundStatus,
  type RetrieveOptions,
  succeededTotal,
  unexpectedLookup,
  type WebhookContext,
  type WebhookEvent,
  type WebhookHeaders,
  type WebhookInput,
} from "./lifecycle.js";
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
  guardedPathSerializer,
  newIdempotencyKey,
} from "./validate.js";
