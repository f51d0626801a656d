import { isAbort } from "./abort.js";
import type { ProviderName } from "./types.js";

export type RefundErrorCode =
  | "invalid_request"
  | "unsupported"
  | "authentication_failed"
  | "permission_denied"
  | "not_found"
  | "amount_exceeds_refundable"
  | "already_refunded"
  | "not_refundable"
  | "declined"
  | "in_progress"
  | "rate_limited"
  | "provider_error"
  | "network_error"
  | "timeout";

export interface RefundErrorOptions {
  code: RefundErrorCode;
  provider: ProviderName;
  message: string;
  /** HTTP status; null when no response came. */
  status?: number | null;
  /** Whether the same call (same idempotency handle) may safely be tried again. */
  retryable?: boolean;
  /** The provider's error body, untouched. */
  raw?: unknown;
  cause?: unknown;
}

/** The one error type of refundkit. Messages never contain credentials. */
export class RefundError extends Error {
  override readonly name = "RefundError";
  readonly code: RefundErrorCode;
  readonly provider: ProviderName;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly raw: unknown;

  constructor(options: RefundErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.provider = options.provider;
    this.status = options.status ?? null;
    this.retryable = options.retryable ?? false;
    this.raw = options.raw ?? null;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      provider: this.provider,
      status: this.status,
      retryable: this.retryable,
      message: this.message,
      raw: this.raw,
    };
  }
}

export function isRefundError(value: unknown): value is RefundError {
  return value instanceof RefundError;
}

/** What a RefundError carries besides its code and message. */
export interface ErrorDetails {
  /** HTTP status; default null (no response). */
  status?: number | null;
  /** The provider's body, untouched. */
  raw?: unknown;
  /** Default false. */
  retryable?: boolean;
  cause?: unknown;
}

/** A RefundError whose message is prefixed with the provider ("sezzle: ..."). */
export function refundError(
  provider: ProviderName,
  code: RefundErrorCode,
  message: string,
  details: ErrorDetails = {},
): RefundError {
  return new RefundError({
    code,
    provider,
    message: `${provider}: ${message}`,
    status: details.status ?? null,
    retryable: details.retryable ?? false,
    raw: details.raw,
    cause: details.cause,
  });
}

/** `refundError` bound to one provider: `const fail = refundErrorFor("sezzle")`. */
export function refundErrorFor(
  provider: ProviderName,
): (code: RefundErrorCode, message: string, details?: ErrorDetails) => RefundError {
  return (code, message, details) => refundError(provider, code, message, details);
}

/**
 * For `.catch` on a request: a RefundError (timeout, network_error from the resilient fetch) and
 * the caller's abort pass through; anything else becomes a network_error, not retryable, with
 * `message` and the failure as `cause`.
 */
export function asNetworkError(
  provider: ProviderName,
  message: string,
  signal: AbortSignal | undefined,
): (error: unknown) => never {
  return (error) => {
    if (error instanceof RefundError || isAbort(error, signal)) throw error;
    // The attempt's time ran out while an error body was still arriving.
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw refundError(provider, timedOut ? "timeout" : "network_error", message, { cause: error });
  };
}
