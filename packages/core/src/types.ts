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

/**
 * Options every client and the facade share. Checked when the client is created: a bad value is a
 * `RefundError("invalid_request")` naming the option, before any request goes out.
 *
 * @example
 * ```ts
 * createRefunds(config, { timeoutMs: 10_000, maxRetries: 1 });
 * ```
 */
export interface TransportOptions {
  /**
   * The fetch to send requests with. Default: on Node, node:http with keep-alive agents (redirects
   * not followed, undici's global dispatcher not used: pass `globalThis.fetch` for those) while
   * `globalThis.fetch` is Node's own, else that replacement (msw, a stub); elsewhere
   * `globalThis.fetch`. The global is looked up at each call (so a test's msw sees it).
   * @default node:http keep-alive on Node, `globalThis.fetch` elsewhere
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Time limit of ONE attempt, in milliseconds, including reading the response body. It is not
   * the limit of the whole call: with retries the worst case of one refund request is
   * `(maxRetries + 1) * timeoutMs + maxRetries * max(backoff.maxMs, backoff.maxRetryAfterMs)`,
   * with the defaults 3 * 30 000 + 2 * 60 000 = 210 000 ms (3.5 minutes) when the provider asks to
   * wait its longest honoured `Retry-After` each time, and under 3 * 30 000 + 300 + 600 = 90 900 ms
   * when it does not (backoff waits at most 300 ms, then 600 ms). Pass a `signal` on the request
   * to bound the whole call.
   * @default 30_000
   * @throws {RefundError} `invalid_request` when not a positive finite number.
   */
  timeoutMs?: number;
  /**
   * Retries after the first attempt (a count, so attempts = maxRetries + 1), only where a retry
   * cannot refund twice: the provider deduplicates the request, or the connection never opened.
   * @default 2
   * @throws {RefundError} `invalid_request` when not a non-negative integer.
   */
  maxRetries?: number;
  /**
   * Waits between retries, in milliseconds: exponential backoff with equal jitter (retry n waits
   * between half of and `min(maxMs, baseMs * 2^(n-1))`), or the provider's `Retry-After` when it
   * sends one; a `Retry-After` longer than `maxRetryAfterMs` is not waited for (the answer is
   * returned as it is).
   * @default { baseMs: 300, maxMs: 8_000, maxRetryAfterMs: 60_000 }
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
