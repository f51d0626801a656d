/**
 * The skeleton every provider package shares, so that a package holds only its provider's data:
 * the client's transport set-up, the refund call's answer handling (`validate` -> `toWire` ->
 * send -> `toResult` / `toError`), the order lookup and the webhook preamble.
 */
import { createBearerFetch } from "./auth-fetch.js";
import { configError, type TokenOrPair } from "./config.js";
import { asNetworkError, RefundError, refundError } from "./errors.js";
import { bodyOf } from "./http.js";
import {
  type ConnectedLookup,
  type LifecycleCapabilities,
  lifecycleUnsupported,
  lookupError,
  type ProviderLookup,
  type ProviderWebhooks,
  type RetrievedOrder,
  type RetrieveOptions,
  unexpectedLookup,
} from "./lifecycle.js";
import { OutgoingRequest } from "./outgoing-request.js";
import type { Secret } from "./redact.js";
import { createResilientFetch, type ResilientFetchOptions } from "./resilient-fetch.js";
import type { FetchedToken } from "./token-cache.js";
import type { ProviderName, TransportOptions } from "./types.js";
import { guardedPathSerializer } from "./validate.js";

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
  headers?: Record<string, string>;
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
    ...(headers === undefined ? {} : { headers }),
    pathSerializer: guardedPathSerializer(provider, serialize),
    Request: OutgoingRequest,
  };
}

/**
 * The bearer-token fetch of a provider whose credentials are a token, a pair of keys, or both
 * (`resolveTokenOrPair`): a given token alone is sent as is; with the pair, `tokenSource(pair)`
 * fetches tokens (cached, refreshed once on a 401), the given token first when there is one.
 */
export function tokenPairFetch<K extends string>(
  transport: typeof globalThis.fetch,
  credentials: TokenOrPair<K>,
  tokenSource: (pair: Record<K, Secret>) => () => Promise<FetchedToken>,
): typeof globalThis.fetch {
  if (credentials.kind === "token") return createBearerFetch(transport, credentials.token);
  return createBearerFetch(transport, tokenSource(credentials.pair), credentials.token);
}

/**
 * The RefundError("authentication_failed") for a 2xx token answer without a usable token.
 * `raw` keeps the body only when it is JSON without the token field (`tokenField`): a body cut
 * off mid-token, or a token of the wrong type, would put (part of) a credential in the error.
 */
export function tokenMissing(
  provider: ProviderName,
  where: string,
  status: number,
  json: unknown,
  tokenField: string,
): RefundError {
  const article = /^[aeiou]/.test(tokenField) ? "an" : "a";
  const raw = typeof json !== "object" || json === null || tokenField in json ? null : json;
  return new RefundError({
    code: "authentication_failed",
    provider,
    message: `${provider}: ${where} answered ${status} without ${article} ${tokenField}`,
    status,
    retryable: false,
    raw,
  });
}

// --- refund -------------------------------------------------------------------------------------

/** How one provider reads the answer to a refund call it sent; see `answerOf`. */
export interface RefundAnswer<R> {
  provider: ProviderName;
  /** Names the call in a network error: "refund of order 123". */
  what: string;
  signal: AbortSignal | undefined;
  /** The idempotency handle sent (null: the provider has none). */
  idempotencyKey: string | null;
  /** A 2xx: the body as `bodyOf` keeps it (parsed JSON, else text, null when unreadable). */
  toResult(raw: unknown, response: Response): R;
  /** Any other status: `body` is openapi-fetch's parsed error body, undefined when empty. */
  toError(response: Response, body: unknown): RefundError;
}

/**
 * The part of a refund after the typed call: a failure without an answer becomes a RefundError
 * (`asNetworkError`), a non-2xx goes to `toError`, and any 2xx goes to `toResult`, because a 2xx
 * means money moved: a body that cannot be read stays in `raw`, never an error.
 * @throws RefundError from `toError`, `toResult` or for a failure without an answer; the
 * caller's abort reason as it is.
 */
export async function answerOf<R>(call: Promise<CallOutcome>, answer: RefundAnswer<R>): Promise<R> {
  const { data, error, response } = await call.catch(
    asNetworkError(
      answer.provider,
      `${answer.what} failed before an answer came`,
      answer.signal,
      answer.idempotencyKey,
    ),
  );
  if (!response.ok) throw answer.toError(response, error);
  return answer.toResult(await bodyOf(data), response);
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
  /** The typed read of one order. */
  send(client: Client, orderId: string, signal: AbortSignal | undefined): Promise<CallOutcome>;
  /** The provider's answer as a RetrievedOrder; null when the body is not the documented shape. */
  toRetrieved(orderId: string, body: unknown): RetrievedOrder<P> | null;
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
            .send(client, orderId, signal)
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
 * A delivery's body bytes as JSON (UTF-8).
 * @throws the RefundError of `refused(notJson)` when the body is not JSON.
 */
export function webhookJson(
  bytes: Uint8Array,
  refused: (message: string) => RefundError,
  notJson: string,
): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw refused(notJson);
  }
}

/** A `secretFrom` that reads one string field of the provider's config (empty: no secret). */
export function secretField<Config>(
  field: keyof Config & string,
): (config: Config | undefined) => string | undefined {
  return (config) => {
    const secret: unknown = config?.[field];
    return typeof secret === "string" && secret !== "" ? secret : undefined;
  };
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
