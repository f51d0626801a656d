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
