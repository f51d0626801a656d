import type { BackoffOptions } from "./resilient-fetch.js";

/** The providers refundkit speaks to. */
export type ProviderName = "sezzle" | "optty" | "levelup" | "moyasar" | "briqpay";

/** Every provider refundkit supports, by the name used in configs, requests and results. */
export const PROVIDERS = [
  "sezzle",
  "optty",
  "levelup",
  "moyasar",
  "briqpay",
] as const satisfies readonly ProviderName[];

/** Which host a client talks to. There is no default: live money needs an explicit choice. */
export type Environment = "sandbox" | "production";

/** Options every client and the facade share. */
export interface TransportOptions {
  /** The fetch to send requests with (defaults to globalThis.fetch). */
  fetch?: typeof globalThis.fetch;
  /** Time limit for one attempt, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, only where a retry cannot refund twice. Default 2. */
  maxRetries?: number;
  /**
   * Waits between retries: `{ baseMs = 300, maxMs = 8000, maxRetryAfterMs = 60000 }` (exponential
   * backoff with equal jitter; a longer `Retry-After` is not waited for).
   */
  backoff?: BackoffOptions;
}

/** What a provider supports, as `refunds.capabilities(provider)` reports it. */
export interface Capabilities {
  partialRefunds: boolean;
  fullRefundWithoutAmount: boolean;
  idempotency: "header" | "body" | "none";
  pendingResults: boolean;
  lineItems: boolean;
}

/** The fields every provider's refund request shares. Amounts are integer minor units. */
export interface BaseRefundRequest {
  /** The provider's order / session id (a path parameter). */
  orderId: string;
  /** Integer minor units (cents). Omitted = full refund where the provider allows it. */
  amount?: number;
  /** ISO 4217 code; required whenever `amount` is given. */
  currency?: string;
  /** Generated when absent; returned in the result (null where the provider has no handle). */
  idempotencyKey?: string;
  reason?: string;
  /** Cancels the refund call (all attempts). */
  signal?: AbortSignal;
}

/** The unified outcome of a refund that the provider accepted (any 2xx). */
export interface RefundResult<P extends ProviderName = ProviderName> {
  provider: P;
  orderId: string;
  status: "succeeded" | "pending";
  /** The provider's id for this refund, when it gives one. */
  refundId: string | null;
  /** What the provider reports as refunded, in integer minor units. */
  amount: number | null;
  currency: string | null;
  /** null only where the provider has no idempotency handle. */
  idempotencyKey: string | null;
  /** The provider's response body, untouched. */
  raw: unknown;
}

/** A provider, connected with its credentials: the unified refund for that provider. */
export interface RefundAdapter<P extends ProviderName, Request extends BaseRefundRequest> {
  readonly provider: P;
  readonly capabilities: Capabilities;
  /** Validates the request (RefundError before any request is sent), refunds, maps the answer. */
  refund(request: Request): Promise<RefundResult<P>>;
}

/**
 * One provider's side of the unified refund, as each provider package exports it
 * (`sezzleAdapter`, `opttyAdapter`, ...) and the facade composes it.
 */
export interface ProviderAdapter<
  P extends ProviderName,
  Config,
  Request extends BaseRefundRequest,
> {
  readonly provider: P;
  readonly capabilities: Capabilities;
  /**
   * Checks the config (a RefundError "invalid_request" naming the missing or bad field, never
   * echoing a secret) and returns the connected adapter.
   */
  connect(config: Config, options?: TransportOptions): RefundAdapter<P, Request>;
}
