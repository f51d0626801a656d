/**
 * `@refundkit/core/internal`: the plumbing the refundkit provider packages are built from
 * (adapter definition, transport, auth, validation, answer classification). Not a stable API:
 * it changes with the provider packages, in any release. Application code imports from
 * `@refundkit/core` (errors, money, shared types) instead.
 *
 * It also carries every name of the public root, so an adapter imports from one place.
 */

export { abortableSleep, isAbort } from "./abort.js";
export {
  type AdapterContext,
  type AdapterDefinition,
  defineAdapter,
  rejectSoon,
  startRefund,
} from "./adapter.js";
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
  attemptStartOf,
  type ErrorDetails,
  noteAttemptStart,
  refundError,
  refundErrorFor,
  refusal,
  withIdempotencyKey,
} from "./errors.js";
export { isRecord } from "./guards.js";
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
export * from "./index.js";
export { bytesBodyForClone, mixinBytesBody, setBytesBody } from "./internal/bytes-body.js";
export { createJsonClient, type JsonCallOptions, type JsonClient } from "./json-client.js";
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
  lifecycleUnsupported,
  lookupError,
  type ProviderLookup,
  type ProviderWebhooks,
  type ReplayGuard,
  succeededTotal,
  unexpectedLookup,
  type WebhookContext,
} from "./lifecycle.js";
export { OutgoingRequest } from "./outgoing-request.js";
export * from "./provider-kit.js";
export { redactHeaders, Secret } from "./redact.js";
export {
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
export type { ProviderAdapter, RefundAdapter } from "./types.js";
export {
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  guardedPathSerializer,
  newIdempotencyKey,
} from "./validate.js";
