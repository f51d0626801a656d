import { isAbort } from "./abort.js";
import type { ProviderName } from "./types.js";

/** Why a refund failed, the same across providers: https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#provider-answer---refunderror */
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

/** What a RefundError is made from: code, provider and message are required, the rest default to null/false. */
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

/**
 * Brand on RefundError.prototype, in the global symbol registry: a RefundError made by another
 * copy of this package (the CJS build next to the ESM one, or a second installed version) carries
 * the same symbol, so `isRefundError` and `instanceof RefundError` recognise it where a plain
 * prototype check would not (the dual-package hazard:
 * https://nodejs.org/api/packages.html#dual-package-hazard).
 */
const REFUND_ERROR_BRAND = Symbol.for("refundkit.RefundError");

/** The one error type of refundkit. Messages never contain credentials. */
export class RefundError extends Error {
  /**
   * `value instanceof RefundError` is true for a RefundError from any copy of refundkit (ESM or
   * CJS build), by its brand; subclasses keep the ordinary prototype-chain check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof (RefundError or a subclass)
    if (this !== RefundError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [REFUND_ERROR_BRAND]?: unknown })[REFUND_ERROR_BRAND] === true
    );
  }

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

  /** The error's fields for logs and `JSON.stringify` (no credentials: messages never carry them). */
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

Object.defineProperty(RefundError.prototype, REFUND_ERROR_BRAND, { value: true });

/** Whether `value` is a RefundError, from this copy of refundkit or any other (ESM or CJS build). */
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
