import { type RefundError, refundError } from "./errors.js";
import { parseRetryAfter } from "./resilient-fetch.js";
import type { ProviderName } from "./types.js";

/*
 * Rules for reading a provider's answer that every adapter shares, so that each is written once:
 * how long the provider asked to wait, whether it says a request with the same idempotency handle
 * is still being processed, and whether a 2xx body says the refund failed.
 */

/** Milliseconds the response's `Retry-After` asks to wait (seconds or HTTP-date); null if absent. */
export function retryAfterMsOf(response: Response): number | null {
  return parseRetryAfter(response.headers.get("retry-after"), Date.now()) ?? null;
}

/**
 * "Still processing" wordings: MPG's 400 "Initial request is still processing." (its refund
 * reference, https://mpg-acquirer-docs.moyasar.com/api/orders/orders-api) and the "request in progress" a 409 for a
 * concurrent duplicate carries (the convention of idempotency-key APIs, e.g.
 * https://docs.stripe.com/api/idempotent_requests and the IETF Idempotency-Key draft, section 2.6).
 */
const IN_PROGRESS = /still (being )?process|in progress|currently being processed/i;

/**
 * Whether an answer says a request with the same idempotency handle is still being processed:
 * any 409 Conflict, or a 400/422/423/425 whose body says so. Only meaningful for requests that
 * carry an idempotency handle: then waiting and sending the same bytes again gets the first
 * request's outcome, so it is retried with backoff like a 503, and reported as `in_progress`,
 * `retryable: true` when retries run out.
 */
export function isInProgressAnswer(status: number, bodyText: string): boolean {
  if (status === 409) return true;
  return (
    (status === 400 || status === 422 || status === 423 || status === 425) &&
    IN_PROGRESS.test(bodyText.slice(0, 2_000))
  );
}

/** `isInProgressAnswer` for a response (reads a clone's body; resilient fetch passes a clone). */
export async function isInProgressResponse(response: Response): Promise<boolean> {
  const { status } = response;
  // Only these statuses are worth reading the body for.
  const text = status >= 400 && status < 430 ? await response.text().catch(() => "") : "";
  return isInProgressAnswer(status, text);
}

/**
 * Status words that say a refund failed, in any case: Briqpay's `rejected`
 * (https://developer.briqpay.com/docs/3.0.0/api/refund-status); Optty's `DECLINED` and
 * `CANCELLED` (https://docs.optty.com/direct-api-orders/order-flow/custom-integration-setup-and-integration)
 * and `failed` / `canceled` of its WooCommerce plugin (https://wordpress.org/plugins/optty/);
 * `failure` as a spelling of failed.
 */
const FAILED_WORDS = /^(rejected|failed|failure|declined|cancell?ed)$/i;

/**
 * What a 2xx body's status word says about the refund: `succeeded` when it is one of the
 * provider's success words (compared case-insensitively), `failed` for the failure words above,
 * `pending` for anything else (an unknown word is not taken as money moved or as a failure).
 */
export function refundOutcomeOf(
  word: unknown,
  successWords: readonly string[],
): "succeeded" | "pending" | "failed" {
  if (typeof word !== "string") return "pending";
  const trimmed = word.trim();
  if (successWords.some((success) => success.toLowerCase() === trimmed.toLowerCase())) {
    return "succeeded";
  }
  return FAILED_WORDS.test(trimmed) ? "failed" : "pending";
}

/**
 * The RefundError of a 2xx whose body says the refund failed: `declined`, not retryable (the
 * provider decided; sending it again would get the same answer), with the status, the body in
 * `raw`, the refund id the provider gave and the idempotency handle sent.
 */
export function declinedInAnswer(
  provider: ProviderName,
  details: {
    orderId: string;
    status: number;
    word: string;
    raw: unknown;
    refundId: string | null;
    idempotencyKey: string | null;
  },
): RefundError {
  const refund = details.refundId === null ? "the refund" : `refund ${details.refundId}`;
  return refundError(
    provider,
    "declined",
    `${refund} of order ${details.orderId} was answered ${details.status} with status "${details.word.slice(0, 40)}": nothing was refunded`,
    {
      status: details.status,
      raw: details.raw,
      refundId: details.refundId,
      idempotencyKey: details.idempotencyKey,
    },
  );
}
