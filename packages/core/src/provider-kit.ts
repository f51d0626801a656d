/**
 * The skeleton every provider package shares, so that a package holds only its provider's data:
 * the client's transport set-up, the refund call's answer handling (`validate` -> `toWire` ->
 * send -> `toResult` / `toError`), the order lookup and the webhook preamble.
 */

import type { AdapterContext } from "./adapter.js";
import { retryAfterMsOf } from "./answers.js";
import { createBearerFetch } from "./auth-fetch.js";
import { configError, type TokenOrPair } from "./config.js";
import {
  asNetworkError,
  type RefundError,
  type RefundErrorCode,
  refundError,
  type refundErrorFor,
  refusal,
} from "./errors.js";
import { isRecord } from "./guards.js";
import { bodyOf, isRetryableStatus, parseJson } from "./http.js";
import type { keyedCall } from "./key-memory.js";
import {
  type ConnectedLookup,
  type LifecycleCapabilities,
  lifecycleUnsupported,
  lookupError,
  type ProviderLookup,
  type ProviderWebhooks,
  type RetrievedOrder,
  type RetrievedRefund,
  type RetrieveOptions,
  succeededTotal,
  unexpectedLookup,
} from "./lifecycle.js";
import { LeanRequest, OutgoingRequest } from "./outgoing-request.js";
import type { Secret } from "./redact.js";
import { createResilientFetch, type ResilientFetchOptions } from "./resilient-fetch.js";
import { createTokenCache, type FetchedToken, type TokenCache } from "./token-cache.js";
import type { BaseRefundRequest, ProviderName, RefundResult, TransportOptions } from "./types.js";
import {
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  guardedPathSerializer,
  newIdempotencyKey,
} from "./validate.js";

/**
 * What an openapi-fetch call resolves to, as the shared code reads it: `data` (the body stream of
 * a 2xx, with `parseAs: "stream"`), `error` (the parsed error body; undefined when empty) and the
 * response.
 */
export interface CallOutcome {
  data?: ReadableStream<Uint8Array> | string | null;
  error?: unknown;
  response: Response;
}

// --- client -------------------------------------------------------------------------------------

/** The provider's own transport rules: which requests it deduplicates, its own "try again" answers. */
export type TransportRules = Pick<ResilientFetchOptions, "isIdempotent" | "isRetryableResponse">;

/**
 * Refuses client options that are not an object, before anything else is read.
 * @throws RefundError("invalid_request") "options must be an object".
 */
export function assertClientOptions(provider: ProviderName, options: unknown): void {
  if (options === null || typeof options !== "object") {
    throw configError(provider, "options must be an object");
  }
}

/**
 * The resilient fetch of a provider client: the caller's `fetch`, `timeoutMs`, `maxRetries` and
 * `backoff` (see `TransportOptions` for units and defaults) with the provider's retry rules.
 * @throws RefundError("invalid_request") for a `timeoutMs` or `maxRetries` out of range.
 */
export function providerTransport(
  provider: ProviderName,
  options: TransportOptions,
  rules: TransportRules,
): typeof globalThis.fetch {
  return createResilientFetch({
    provider,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    backoff: options.backoff,
    ...rules,
  });
}

/** The fetch openapi-fetch calls: one `Request` in, its `Response` out. */
export type RequestFetch = (request: Request) => Promise<Response>;

/** openapi-fetch `createClient` options every provider client uses; see `clientOptions`. */
export interface ClientOptions {
  baseUrl: string;
  fetch: RequestFetch;
  /** Sent with every request; undefined: none beyond openapi-fetch's own. */
  headers: Record<string, string> | undefined;
  /** Refuses path parameters that could change the request's path (core's one rule). */
  pathSerializer: (pathname: string, pathParams: Record<string, unknown>) => string;
  /** Keeps the body's bytes, so every attempt sends the same ones. */
  Request: typeof OutgoingRequest;
}

/**
 * The options of a provider's openapi-fetch `createClient`: its base URL and authenticated
 * fetch, `serialize` (openapi-fetch's `defaultPathSerializer`) behind `guardedPathSerializer`,
 * and `OutgoingRequest`. `headers` are sent with every request (say `Accept`).
 */
export function clientOptions(
  provider: ProviderName,
  baseUrl: string,
  fetch: RequestFetch,
  serialize: (pathname: string, pathParams: Record<string, unknown>) => string,
  headers?: Record<string, string>,
): ClientOptions {
  return {
    baseUrl,
    fetch,
    headers,
    pathSerializer: guardedPathSerializer(provider, serialize),
    Request: OutgoingRequest,
  };
}

/**
 * The bearer-token fetch of a provider whose credentials are a token, a pair of keys, or both
 * (`resolveTokenOrPair`): a given token alone is sent as is; with the pair, `tokenSource(pair)`
 * fetches tokens (cached, refreshed once on a 401), the given token first when there is one. The
 * cache is the one `options` share for `provider` (SHARED_TOKEN_CACHES) when they carry one.
 */
export function tokenPairFetch<K extends string>(
  provider: ProviderName,
  options: TransportOptions,
  transport: typeof globalThis.fetch,
  credentials: TokenOrPair<K>,
  tokenSource: (pair: Record<K, Secret>) => () => Promise<FetchedToken>,
): typeof globalThis.fetch {
  if (credentials.kind === "token") return createBearerFetch(transport, credentials.token);
  const caches = (options as SharedTokenCaches)[SHARED_TOKEN_CACHES];
  let cache = caches?.get(provider);
  if (cache === undefined) {
    cache = createTokenCache({
      fetchToken: tokenSource(credentials.pair),
      initialToken: credentials.token?.reveal(),
    });
    caches?.set(provider, cache);
  }
  return createBearerFetch(transport, cache);
}

/**
 * The token caches the clients of one `createRefunds()` share, by provider: its refund adapters
 * and its lookups each build a client from the same config, and without this each would fetch
 * its own token (a second `POST /v2/authentication` or `/token` on the first `retrieve()` after a
 * `refund()`). The facade sets it on the transport options it gives both; `connect` spreads
 * those options into each client's, which copies the symbol. A client made alone has none.
 */
export const SHARED_TOKEN_CACHES: unique symbol = Symbol("refundkit.sharedTokenCaches");

/** Transport options carrying the shared token caches (internal: set by the facade). */
export interface SharedTokenCaches {
  [SHARED_TOKEN_CACHES]?: Map<ProviderName, TokenCache>;
}

/**
 * The RefundError("authentication_failed") for a 2xx token answer without a usable token
 * (`missing` names it: "a token", "an access_token"). `raw` keeps the body only when it is JSON
 * without the token field (`tokenField`): a body cut off mid-token, or a token of the wrong type,
 * would put (part of) a credential in the error.
 */
export function tokenMissing(
  provider: ProviderName,
  where: string,
  status: number,
  json: unknown,
  tokenField: string,
  missing: string,
): RefundError {
  return refundError(
    provider,
    "authentication_failed",
    `${where} answered ${status} without ${missing}`,
    {
      status,
      raw: typeof json === "object" && json !== null && !(tokenField in json) ? json : null,
    },
  );
}

// --- refund -------------------------------------------------------------------------------------

/**
 * What every typed call of a refund or lookup is sent with: the body read as a stream (core's
 * `bodyOf` reads it, so a 2xx body that cannot be parsed is still kept) and the caller's signal.
 */
export interface CallInit {
  parseAs: "stream";
  signal: AbortSignal | undefined;
  /** openapi-fetch's per-call `Request`: `LeanRequest` (these clients have no middleware). */
  Request: typeof Request;
}

/** The `Request` option of refundkit's own calls. */
const Lean = LeanRequest as unknown as typeof Request;

/** What every provider's `validate` returns at least: the refund as it goes out. */
export interface CheckedRefund {
  orderId: string;
  /** Integer minor units; undefined where the provider takes no amount (LevelUp). */
  amount: number | undefined;
  currency: string | undefined;
  /**
   * The idempotency handle sent (header or body field); null when the provider has none, and
   * then the call is sent unkeyed.
   */
  idempotencyKey: string | null;
}

/**
 * One provider's refund in the template every adapter follows: `validate` -> `toWire` (inside
 * `send`) -> send -> `toResult` / `toError`.
 */
export interface RefundSteps<
  P extends ProviderName,
  Request,
  Client,
  Checked extends CheckedRefund,
> {
  provider: P;
  /** What the provider calls the order in messages: "order" (default) or "session" (Briqpay). */
  orderNoun?: string;
  /** Every rule of the provider's refund, before any request. @throws RefundError */
  validate(request: Request): Checked;
  /** The typed call, its body from `toWire(checked)`, with `init` spread into its options. */
  send(client: Client, checked: Checked, init: CallInit): Promise<CallOutcome>;
  /** A 2xx: the body as `bodyOf` keeps it (parsed JSON, else text, null when unreadable). */
  toResult(checked: Checked, raw: unknown, response: Response): RefundResult<P>;
  /** Any other status: `body` is openapi-fetch's parsed error body, undefined when empty. */
  toError(response: Response, body: unknown, checked: Checked): RefundError;
  /**
   * `keyedCall`, for a provider with an idempotency handle: each call then runs under its key.
   * Passed in rather than imported here, so a bundle without a handle (LevelUp, Briqpay) does
   * not carry the key memory's call logic.
   */
  keyed?: typeof keyedCall;
}

/**
 * The shared fields of a refund that needs an amount and always carries an idempotency key
 * (Sezzle, Optty): the order id (a path id), a positive integer amount in minor units and its
 * ISO 4217 currency, the key (the one given, else a fresh UUID) and an optional `reason` of at most
 * `maxReasonLength` characters, checked in that order.
 * @throws RefundError("unsupported") with `noAmount` when `amount` is missing; else
 * RefundError("invalid_request") naming the first bad field.
 */
export function checkAmountRefund(
  provider: ProviderName,
  request: BaseRefundRequest,
  maxReasonLength: number,
  noAmount: string,
): { orderId: string; amount: number; currency: string; idempotencyKey: string } {
  const { orderId, amount, currency, reason } = request;
  assertPathId(provider, "orderId", orderId);
  if (amount === undefined) throw refusal(provider, "unsupported", noAmount);
  assertAmount(provider, amount);
  if (currency === undefined) {
    throw refusal(provider, "invalid_request", "currency is required whenever amount is given");
  }
  assertCurrency(provider, currency);
  // A key refundkit generates (a UUID) needs no check: only a given one is checked.
  if (request.idempotencyKey != null) assertIdempotencyKey(provider, request.idempotencyKey);
  const idempotencyKey = request.idempotencyKey ?? newIdempotencyKey();
  assertOptionalString(provider, "reason", reason, maxReasonLength);
  return { orderId, amount, currency, idempotencyKey };
}

/**
 * The RefundError (made by the provider's `fail`, `refundErrorFor`) of a refund that a provider
 * whose every refund carries an idempotency handle
 * (Sezzle, Optty) answered with a non-2xx, once its `toError` has classified it (`code`) and
 * read the provider's message (`detail`, "" when none): "refund of order <orderId> answered
 * <status> (<detail>)", with the body in `raw`, the handle sent and the provider's Retry-After.
 * Retryable for a retryable status (`isRetryableStatus`) and for `in_progress`: the same handle
 * then gets the first request's outcome, never a second refund.
 */
export function keyedRefundError(
  fail: ReturnType<typeof refundErrorFor>,
  code: RefundErrorCode,
  response: Response,
  body: unknown,
  detail: string,
  { orderId, idempotencyKey }: CheckedRefund,
): RefundError {
  const { status } = response;
  return fail(
    code,
    `refund of order ${orderId} answered ${status}${detail ? ` (${detail})` : ""}`,
    {
      status,
      retryable: isRetryableStatus(status) || code === "in_progress",
      raw: body,
      idempotencyKey,
      retryAfterMs: retryAfterMsOf(response),
    },
  );
}

/**
 * For `defineAdapter`'s `handleOf`: the idempotency handle a JSON request body (its text, null
 * when none) carries in its field `name` (a non-empty string), else null.
 */
export function jsonBodyHandle(body: string | null, name: string): string | null {
  const json = parseJson(body ?? "");
  const value = isRecord(json) ? json[name] : undefined;
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * The `refund` of `defineAdapter` from a provider's steps. It validates; with an idempotency key
 * and `keyed` the call runs under `keyedCall` (the key claimed for this order, amount and currency, so a key
 * reused for another refund is refused before sending); then sends. A failure without an answer
 * becomes a RefundError (`asNetworkError`), a non-2xx goes to `toError`, and any 2xx to
 * `toResult`, because a 2xx means money moved: a body that cannot be read stays in `raw`.
 */
export function refundSteps<
  P extends ProviderName,
  Request extends { signal?: AbortSignal },
  Client,
  Checked extends CheckedRefund,
>(
  steps: RefundSteps<P, Request, Client, Checked>,
): (client: Client, request: Request, context: AdapterContext) => Promise<RefundResult<P>> {
  const { provider } = steps;
  const noun = steps.orderNoun ?? "order";
  // Not async: `validate` throws synchronously, before anything is sent, so the facade refuses a
  // bad input without another promise layer (see `AdapterDefinition.refund`, `startRefund`).
  return (client, request, context) => {
    const checked = steps.validate(request);
    const { signal } = request;
    const { orderId, amount, currency, idempotencyKey } = checked;
    const call = async () => {
      const { data, error, response } = await steps
        .send(client, checked, { parseAs: "stream", signal, Request: Lean })
        .catch(
          asNetworkError(
            provider,
            `refund of ${noun} ${orderId} failed before an answer came`,
            signal,
            idempotencyKey,
          ),
        );
      if (!response.ok) throw steps.toError(response, error, checked);
      return steps.toResult(checked, await bodyOf(data), response);
    };
    if (steps.keyed === undefined || idempotencyKey === null) return call();
    return steps.keyed(provider, context, idempotencyKey, { orderId, amount, currency }, call);
  };
}

// --- lookup -------------------------------------------------------------------------------------

/** What a provider package gives `defineLookup`: its client, its read and the mapping. */
export interface LookupDefinition<P extends ProviderName, Config, Client> {
  provider: P;
  capabilities: LifecycleCapabilities;
  /** The documented read, as errors name it: "GET /v2/order/{order_uuid}". */
  where: string;
  /** What a 2xx body that `toRetrieved` cannot read is not: "an order", "a session". */
  shape: string;
  /** The client for a config and the transport options, built once per `connect`. */
  createClient(options: Config & TransportOptions): Client;
  /** Refuses a bad order id (and anything else the read needs) before any request. */
  validate(orderId: string, client: Client): void;
  /** The typed read of one order, with `init` spread into its options. */
  send(client: Client, orderId: string, init: CallInit): Promise<CallOutcome>;
  /** The provider's answer as a RetrievedOrder; null when the body is not the documented shape. */
  toRetrieved(orderId: string, body: unknown): RetrievedOrder<P> | null;
}

/**
 * A RetrievedOrder from the refunds a provider's answer lists: `refundedAmount` is the total of
 * the succeeded ones (`succeededTotal`), `raw` the answer untouched.
 */
export function retrievedOrder<P extends ProviderName>(
  provider: P,
  orderId: string,
  currency: string | null,
  refunds: RetrievedRefund[],
  raw: unknown,
): RetrievedOrder<P> {
  return { provider, orderId, currency, refundedAmount: succeededTotal(refunds), refunds, raw };
}

/**
 * A ProviderLookup from a provider's read: `validate`, send, then a failure without an answer
 * becomes a RefundError (`asNetworkError`), a non-2xx `lookupError`, a 2xx `toRetrieved`, and a
 * 2xx that is not the documented shape `unexpectedLookup` (provider_error, body in `raw`).
 */
export function defineLookup<P extends ProviderName, Config, Client>(
  definition: LookupDefinition<P, Config, Client>,
): ProviderLookup<P, Config> {
  const { provider, capabilities, where } = definition;
  return {
    provider,
    capabilities,
    connect(config: Config, options: TransportOptions = {}): ConnectedLookup<P> {
      const client = definition.createClient({ ...config, ...options });
      return {
        provider,
        async retrieve(orderId: string, { signal }: RetrieveOptions = {}) {
          definition.validate(orderId, client);
          const { data, error, response } = await definition
            .send(client, orderId, { parseAs: "stream", signal, Request: Lean })
            .catch(asNetworkError(provider, `${where} for ${orderId} got no answer`, signal));
          if (!response.ok) throw lookupError(provider, where, response.status, error ?? null);
          const raw = await bodyOf(data);
          const order = definition.toRetrieved(orderId, raw);
          if (order === null) {
            throw unexpectedLookup(
              provider,
              where,
              response.status,
              raw,
              `not with ${definition.shape}`,
            );
          }
          return order;
        },
      };
    },
  };
}

/**
 * The lookup of a provider that documents none: `retrieve` always refuses with
 * RefundError("unsupported") saying `reason`.
 */
export function unsupportedLookup<P extends ProviderName, Config>(
  provider: P,
  capabilities: LifecycleCapabilities,
  reason: string,
): ProviderLookup<P, Config> {
  return {
    provider,
    capabilities,
    connect(): ConnectedLookup<P> {
      return {
        provider,
        async retrieve() {
          throw lifecycleUnsupported(provider, reason);
        },
      };
    },
  };
}

// --- webhooks -----------------------------------------------------------------------------------

/**
 * The refusal of a webhook delivery: RefundError("authentication_failed") with the message
 * "webhook refused: <message>". `const refused = webhookRefusal("sezzle")`.
 */
export function webhookRefusal(provider: ProviderName): (message: string) => RefundError {
  return (message) => refundError(provider, "authentication_failed", `webhook refused: ${message}`);
}

/**
 * The webhooks of a provider that documents none to verify: `verify` always refuses with
 * RefundError("unsupported") saying `reason`.
 */
export function unsupportedWebhooks<P extends ProviderName, Config>(
  provider: P,
  reason: string,
): ProviderWebhooks<P, Config> {
  return {
    provider,
    kind: "none",
    secretFrom: () => undefined,
    async verify() {
      throw lifecycleUnsupported(provider, reason);
    },
  };
}
