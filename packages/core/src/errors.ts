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
  /** The idempotency handle that was sent (generated or given); null where the provider has none. */
  idempotencyKey?: string | null;
  /** How long the provider asked to wait before trying again (Retry-After), in ms; null if it did not. */
  retryAfterMs?: number | null;
  /** The provider's id of a refund it answered as failed (a 2xx saying `rejected`); else null. */
  refundId?: string | null;
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

let setAttemptStart: (error: object, startedAt: number) => boolean;
let getAttemptStart: (error: object) => number | undefined;

/** The one error type of refundkit. Messages never contain credentials. */
export class RefundError extends Error {
  /** When the refund() call that rejected with this error started (see `noteAttemptStart`). */
  #attemptStartedAt: number | undefined = undefined;
  static {
    setAttemptStart = (error, startedAt) => {
      if (!(#attemptStartedAt in error)) return false;
      error.#attemptStartedAt = startedAt;
      return true;
    };
    getAttemptStart = (error) => (#attemptStartedAt in error ? error.#attemptStartedAt : undefined);
  }

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

  // The fields below are `declare`d: the constructor sets each one, in this order (which is their
  // order in `toJSON`), so no separate field definition is emitted for them.
  override readonly name = "RefundError";
  declare readonly code: RefundErrorCode;
  declare readonly provider: ProviderName;
  declare readonly status: number | null;
  declare readonly retryable: boolean;
  /**
   * The idempotency handle the request was sent with (generated or given), null where the
   * provider has none. When `retryable`, repeat the call with `idempotencyKey: error.idempotencyKey`:
   * the provider then answers the first attempt's outcome instead of refunding again.
   */
  declare readonly idempotencyKey: string | null;
  /** Milliseconds the provider asked to wait (its `Retry-After`), null when it did not say. */
  declare readonly retryAfterMs: number | null;
  /** The provider's refund id, when its answer named the refund it refused (`declined`); else null. */
  declare readonly refundId: string | null;
  declare readonly raw: unknown;

  constructor(options: RefundErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.provider = options.provider;
    this.status = options.status ?? null;
    this.retryable = options.retryable ?? false;
    this.idempotencyKey = options.idempotencyKey ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.refundId = options.refundId ?? null;
    this.raw = options.raw ?? null;
  }

  /** The error's fields for logs and `JSON.stringify` (no credentials: messages never carry them). */
  toJSON(): Record<string, unknown> {
    // The own enumerable fields (name, then the constructor's, in order; `message`, `stack` and
    // `cause` are not enumerable), with the message before `raw`.
    const { raw, ...fields } = this;
    return { ...fields, message: this.message, raw };
  }
}

Object.defineProperty(RefundError.prototype, REFUND_ERROR_BRAND, { value: true });

/**
 * Records on `error` when the refund() call it rejected started, for `reconcile()` (which tells
 * that call's refund from earlier ones by it). Kept in a private field of RefundError, invisible
 * to `JSON.stringify`, `util.inspect` and equality checks: a store, where a WeakMap entry per
 * failed call costs about 1 us (half the budget of a refused input). Returns false for anything
 * that is not a RefundError of this copy of core (a caller's abort reason): keep that elsewhere.
 */
export function noteAttemptStart(error: unknown, startedAt: number): boolean {
  return typeof error === "object" && error !== null && setAttemptStart(error, startedAt);
}

/** What `noteAttemptStart` recorded on `error`; undefined when nothing was. */
export function attemptStartOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null ? getAttemptStart(error) : undefined;
}

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
  /** The idempotency handle sent; default null (none). */
  idempotencyKey?: string | null;
  /** The provider's Retry-After in ms; default null. */
  retryAfterMs?: number | null;
  /** The refund the provider named while refusing it; default null. */
  refundId?: string | null;
  cause?: unknown;
}

/** A RefundError whose message is prefixed with the provider ("sezzle: ..."). */
export function refundError(
  provider: ProviderName,
  code: RefundErrorCode,
  message: string,
  details?: ErrorDetails,
): RefundError {
  // The constructor gives each detail left out its default.
  return new RefundError({ ...details, code, provider, message: `${provider}: ${message}` });
}

/**
 * A RefundError for a call refused before any request was built: `invalid_request` (a bad
 * amount, currency, id, key or call) or `unsupported` (what the provider does not document), not
 * retryable, its message prefixed with the provider like every RefundError ("sezzle: ..."),
 * built without capturing stack frames.
 *
 * Trade-off, deliberately: capturing a stack costs more than the whole check (about 1-5 us on
 * Node 20, several times the refusal itself), and a program that feeds refund() from user input
 * (a bulk file, a form) may be refused often. The message names the field, the rule and the value
 * given, which is what locates the mistake; such an error's `stack` is just its first line
 * (`RefundError: <message>`), without the frames of refundkit's checks or of the caller. It is an
 * ordinary RefundError otherwise (`instanceof`, `isRefundError`, `code`, `provider`, `message`,
 * `retryable: false`, `toJSON`). Every refusal before a request is built this way, so each costs
 * the same; errors about an answer, a failure on the network or the configuration keep their
 * full stack.
 */
export function refusal(
  provider: ProviderName,
  code: "invalid_request" | "unsupported",
  message: string,
): RefundError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  // The constructor only assigns fields: nothing in between can throw and leave the limit at 0.
  const error = refundError(provider, code, message);
  Error.stackTraceLimit = limit;
  return error;
}

/**
 * `error` with `idempotencyKey` set, when it is a RefundError that does not name one yet (errors
 * raised below the adapter, such as a timeout from the resilient fetch or a token endpoint's
 * refusal, do not know the handle). A copy, never the same object changed: one token failure is
 * thrown to every refund waiting on that token, each with its own key. Anything else is returned
 * as is.
 */
export function withIdempotencyKey<E>(error: E, idempotencyKey: string | null): E | RefundError {
  if (!(error instanceof RefundError) || error.idempotencyKey !== null || idempotencyKey === null) {
    return error;
  }
  // Its own fields (code, provider, status, ...; `name` is ignored), with the message and cause,
  // which are not enumerable.
  const copy = new RefundError({
    ...error,
    message: error.message,
    cause: error.cause,
    idempotencyKey,
  });
  if (error.stack !== undefined) copy.stack = error.stack;
  return copy;
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
  /** The handle the request carried (null: none); set on every RefundError passing through. */
  idempotencyKey: string | null = null,
): (error: unknown) => never {
  return (error) => {
    if (isAbort(error, signal)) throw error;
    if (error instanceof RefundError) throw withIdempotencyKey(error, idempotencyKey);
    // The attempt's time ran out while an error body was still arriving.
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw refundError(provider, timedOut ? "timeout" : "network_error", message, {
      cause: error,
      idempotencyKey,
    });
  };
}
