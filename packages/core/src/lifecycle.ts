/**
 * Following a refund after its first answer: what a provider's lookup and webhooks look like
 * once normalised. Each provider package implements `ProviderLookup` (its lookup.ts) and
 * `ProviderWebhooks` (its webhook.ts); the facade composes them.
 */
import { type RefundError, refundError, refusal } from "./errors.js";
import { errorCodeForStatus, isRetryableStatus } from "./http.js";
import type { ProviderName, TransportOptions } from "./types.js";

/** A refund's state as the provider reports it: `pending` may still become either of the others. */
export type RetrievedRefundStatus = "succeeded" | "pending" | "failed";

/** One refund of an order, as the provider's lookup lists it. */
export interface RetrievedRefund {
  /** The provider's id for the refund; null where the lookup gives none (LevelUp). */
  refundId: string | null;
  /** Integer minor units; null only where the provider's answer does not say. */
  amount: number | null;
  /** ISO 4217; null only where the provider's answer does not say. */
  currency: string | null;
  status: RetrievedRefundStatus;
  /** ISO 8601 as the provider wrote it; null where the lookup gives no time (Sezzle). */
  createdAt: string | null;
}

/** What the provider says about an order's refunds now. */
export interface RetrievedOrder<P extends ProviderName = ProviderName> {
  provider: P;
  orderId: string;
  /** The order's currency (ISO 4217), when the answer carries one. */
  currency: string | null;
  /**
   * Sum of the succeeded refunds, integer minor units. Derived (no provider documents a total):
   * null when a succeeded refund's amount is unknown or refunds in several currencies are mixed.
   */
  refundedAmount: number | null;
  refunds: RetrievedRefund[];
  /** The provider's response body, untouched. */
  raw: unknown;
}

/** What a provider supports after the first answer, as `refunds.capabilities()` adds it. */
export interface LifecycleCapabilities {
  /** Whether a documented lookup lists the order's refunds (`refunds.retrieve`). */
  retrieve: boolean;
  /**
   * `signed`: refund webhooks carry a signature that is checked; `read-back`: they are
   * unauthenticated and verified by reading the provider back; `none`: no refund webhook is
   * documented.
   */
  webhooks: "signed" | "read-back" | "none";
}

/** Options of a lookup (`retrieve`). */
export interface RetrieveOptions {
  /** Cancels the lookup. */
  signal?: AbortSignal;
}

/** A provider's lookup, connected with its credentials. */
export interface ConnectedLookup<P extends ProviderName> {
  readonly provider: P;
  /**
   * Reads the order's refunds. Rejects with RefundError: `unsupported` where no lookup is
   * documented, `invalid_request` for an id that could change the path (before any request),
   * else the provider's answer mapped like a refund's.
   */
  retrieve(orderId: string, options?: RetrieveOptions): Promise<RetrievedOrder<P>>;
}

/** One provider's lookup (`sezzleLookup`, ...), composed by the facade. */
export interface ProviderLookup<P extends ProviderName, Config> {
  readonly provider: P;
  readonly capabilities: LifecycleCapabilities;
  /** Checks the config (RefundError `invalid_request` naming the field) and connects the lookup. */
  connect(config: Config, options?: TransportOptions): ConnectedLookup<P>;
}

/** Request headers as node:http, fetch or a framework hands them over. */
export type WebhookHeaders =
  | Headers
  | Record<string, string | readonly string[] | undefined>
  | Iterable<readonly [string, string]>;

/** A webhook delivery exactly as received. */
export interface WebhookInput {
  headers: WebhookHeaders;
  /**
   * The raw body bytes as received (a Buffer/Uint8Array, or the same bytes as a UTF-8 string).
   * A body parsed and serialised again no longer matches its signature.
   */
  body: string | Uint8Array | ArrayBuffer;
  /** The signing secret; defaults to the one the provider's config implies (Sezzle: privateKey). */
  secret?: string;
  /** How old a delivery may be, in milliseconds; default per provider (its documented window). */
  toleranceMs?: number;
}

/** A verified refund webhook, normalised. */
export interface WebhookEvent<P extends ProviderName = ProviderName> {
  provider: P;
  /** The provider's event id where it sends one (Sezzle `uuid`), else null. */
  eventId: string | null;
  /** The provider's event name (`order.refunded`, `refund_status`). */
  type: string;
  orderId: string;
  refundId: string | null;
  /** The refund's status; null where the payload states none. */
  status: RetrievedRefundStatus | null;
  /** Integer minor units; null where the payload does not carry it. */
  amount: number | null;
  currency: string | null;
  /** The parsed body, untouched. */
  raw: unknown;
}

/** Ids of deliveries already accepted, so a replay is refused. */
export interface ReplayGuard {
  /** False when `id` was seen and has not expired; else records it until `expiresAt` (ms). */
  firstSeen(id: string, expiresAt: number): boolean;
}

/** What a provider's webhook check gets from the facade. */
export interface WebhookContext<P extends ProviderName> {
  /** The secret from the call, else from the provider's config (undefined when neither). */
  secret: string | undefined;
  /** How old a delivery may be, in milliseconds (undefined: the provider's documented default). */
  toleranceMs: number | undefined;
  /** The current time in epoch milliseconds (injectable for tests). */
  now: () => number;
  replay: ReplayGuard;
  /** The provider's lookup (read-back verification). */
  retrieve: (orderId: string) => Promise<RetrievedOrder<P>>;
}

/** One provider's refund webhooks (`sezzleWebhooks`, ...), composed by the facade. */
export interface ProviderWebhooks<P extends ProviderName, Config> {
  readonly provider: P;
  readonly kind: LifecycleCapabilities["webhooks"];
  /** The secret a config implies for verifying webhooks (Sezzle: the merchant private key). */
  secretFrom(config: Config | undefined): string | undefined;
  /** Authenticates a delivery and normalises it; RefundError for anything not authentic. */
  verify(input: WebhookInput, context: WebhookContext<P>): Promise<WebhookEvent<P>>;
}

/**
 * An in-memory `ReplayGuard` for a provider's `<p>Webhooks.verify` (the `replay` of its context):
 * an accepted delivery's id is kept until its `expiresAt` (epoch ms, the end of the provider's
 * tolerance window) and dropped after, so memory stays bounded. One process only: with several
 * processes behind a load balancer, implement `ReplayGuard` over a shared store (Redis `SET NX PX`).
 * `now` (epoch ms, default `Date.now`) is injectable for tests.
 */
export function createReplayGuard(now: () => number = Date.now): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstSeen(id, expiresAt) {
      const current = now();
      for (const [key, until] of seen) if (until <= current) seen.delete(key);
      const until = seen.get(id);
      if (until !== undefined && until > current) return false;
      seen.set(id, expiresAt);
      return true;
    },
  };
}

/** A header's value (first one; names are case-insensitive) from any WebhookHeaders. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    return headers.get(wanted) ?? undefined;
  }
  const entries: Iterable<readonly [string, unknown]> =
    Symbol.iterator in headers
      ? (headers as Iterable<readonly [string, string]>)
      : Object.entries(headers);
  for (const [key, value] of entries) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === "string") return value;
    if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  }
  return undefined;
}

/**
 * The body's bytes: a string is taken as UTF-8. Anything else (a body a framework parsed into an
 * object) is RefundError("invalid_request"): it cannot be authenticated.
 */
export function bodyBytes(provider: ProviderName, body: WebhookInput["body"]): Uint8Array {
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof Uint8Array) return body;
  throw refusal(
    provider,
    "invalid_request",
    `webhook body must be the raw request body as received (a string, Uint8Array/Buffer or ArrayBuffer); got ${body === null ? "null" : typeof body}: a body parsed and serialised again no longer matches its signature`,
  );
}

/**
 * The sum of the succeeded refunds in `currency` (integer minor units), or null when one of them
 * has no known amount or is in another currency: a total is never made up.
 */
export function succeededTotal(refunds: readonly RetrievedRefund[]): number | null {
  let total = 0;
  let currency: string | null = null;
  for (const refund of refunds) {
    if (refund.status !== "succeeded") continue;
    if (refund.amount === null) return null;
    if (currency !== null && refund.currency !== null && refund.currency !== currency) return null;
    currency = refund.currency ?? currency;
    total += refund.amount;
    if (!Number.isSafeInteger(total)) return null;
  }
  return total;
}

/** The refusal of a provider without a documented lookup or webhook. */
export function lifecycleUnsupported(provider: ProviderName, what: string) {
  return refundError(provider, "unsupported", what);
}

/**
 * The RefundError for a lookup's non-2xx answer (`where` like "GET /v2/order/{order_uuid}").
 * A lookup changes nothing, so 408/429/5xx are `retryable` (RFC 9110 §9.2.1: safe methods;
 * https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1), unlike the same status on a refund.
 */
export function lookupError(
  provider: ProviderName,
  where: string,
  status: number,
  raw: unknown,
): RefundError {
  const code = status === 422 ? "invalid_request" : errorCodeForStatus(status);
  return refundError(provider, code, `${where} answered ${status}`, {
    status,
    raw,
    retryable: isRetryableStatus(status),
  });
}

/** A lookup's 2xx body that is not the documented shape: a provider_error, body kept in raw. */
export function unexpectedLookup(
  provider: ProviderName,
  where: string,
  status: number,
  raw: unknown,
  what: string,
): RefundError {
  return refundError(provider, "provider_error", `${where} answered ${status} but ${what}`, {
    status,
    raw,
    retryable: true,
  });
}
