import {
  assertClientOptions,
  clientOptions,
  configError,
  createJsonClient,
  type FetchedToken,
  isInProgressResponse,
  isRecord,
  optionalString,
  parseJson,
  providerTransport,
  resolveBaseUrl,
  resolveTokenOrPair,
  type Secret,
  type TransportOptions,
  tokenEndpointError,
  tokenMissing,
  tokenPairFetch,
} from "@refundkit/core/internal";
import createClient, { type Client, defaultPathSerializer } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { apiVersion, type Region, type servers, serversByRegion } from "./generated/spec.js";

/** `"sandbox"` or `"production"`, from the spec's servers. */
export type SezzleEnvironment = keyof typeof servers;
/** Sezzle's region (US or EU): each has its own hosts. */
export type SezzleRegion = Region;

/** Where and as whom to talk to Sezzle. */
export interface SezzleConfig {
  /** "sandbox" or "production". Required unless `baseUrl` is given (no silent default to live). */
  environment?: SezzleEnvironment;
  /** An explicit base URL (a proxy, the refundkit mock). Wins over `environment` and `region`. */
  baseUrl?: string;
  /** "us" (US/CA hosts, the default) or "eu" (`gateway.eu.sezzle.com`). */
  region?: SezzleRegion;
  /** A bearer token you obtained yourself. Used as is: it is not refreshed. */
  token?: string;
  /** API public key; with `privateKey`, tokens are fetched from `POST /v2/authentication`. */
  publicKey?: string;
  /** API private key; with `publicKey`, tokens are fetched from `POST /v2/authentication`. */
  privateKey?: string;
}

/** Options of `createSezzleClient`: the Sezzle config and the shared transport options. */
export type SezzleClientOptions = SezzleConfig & TransportOptions;

/** The typed openapi-fetch client for the Sezzle API (the generated `paths`). */
export type SezzleClient = Client<paths>;

/**
 * The calls the adapter and lookup make: a `SezzleClient`'s GET and POST. `createSezzleClient`
 * gives the openapi-fetch client; `createSezzleCaller` the same calls through core's small JSON
 * sender, which the `refundkit` facade uses so that its bundle does not carry openapi-fetch.
 */
export type SezzleCaller = Pick<SezzleClient, "GET" | "POST">;

const PROVIDER = "sezzle";
/**
 * The token endpoint (the spec's PostAuthentication), checked against the generated `paths`; a
 * literal rather than read from `operations`, so that the refund path does not bundle that table.
 */
const AUTH_PATH = "/v2/authentication" satisfies keyof paths;
/** When `expiration_date` is missing or unreadable: a conservative guess (tokens live ~120 min). */
const FALLBACK_TOKEN_LIFETIME_MS = 30 * 60_000;

/**
 * Resolves the base URL: `baseUrl` if given, else the spec's server for environment and region.
 * Sezzle reads null as "not given", as for every other optional field.
 */
export function resolveSezzleBaseUrl(config: SezzleConfig): string {
  const baseUrl = optionalString(PROVIDER, "baseUrl", config.baseUrl);
  const region: unknown = config.region ?? "us";
  if (!Object.hasOwn(serversByRegion, String(region))) {
    throw configError(PROVIDER, `region must be one of ${Object.keys(serversByRegion).join(", ")}`);
  }
  const servers = serversByRegion[region as SezzleRegion];
  return resolveBaseUrl(
    PROVIDER,
    { environment: config.environment ?? undefined, baseUrl },
    servers,
    // Every Sezzle path starts with /v2: a baseUrl given with /v2 is used without it.
    apiVersion,
  );
}

/**
 * Retry safety: a request with `Sezzle-Request-Id` is deduplicated by Sezzle, and asking for a
 * token twice is harmless. Anything else is sent once after it may have reached the server.
 */
function isIdempotent(request: Request): boolean {
  if (request.headers.has("sezzle-request-id")) return true;
  // A read (GET /v2/order/{order_uuid}) changes nothing: safe to send again (RFC 9110 §9.2.1,
  // https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1).
  if (request.method === "GET") return true;
  return request.method === "POST" && new URL(request.url).pathname.endsWith(AUTH_PATH);
}

/**
 * How long a token lives, measured on Sezzle's clock: `expiration_date` minus the response's
 * `Date` header (RFC 9110 section 6.6.1, https://www.rfc-editor.org/rfc/rfc9110#section-6.6.1),
 * so a merchant clock hours off Sezzle's changes nothing. Without a readable `Date`, against the
 * local clock; without a readable `expiration_date`, a conservative guess. The token cache counts
 * the lifetime from when it asked and refreshes a minute early.
 */
function lifetimeOf(expirationDate: unknown, dateHeader: string | null): number {
  const expires = typeof expirationDate === "string" ? Date.parse(expirationDate) : Number.NaN;
  if (!Number.isFinite(expires)) return FALLBACK_TOKEN_LIFETIME_MS;
  const issued = dateHeader === null ? Number.NaN : Date.parse(dateHeader);
  return expires - (Number.isFinite(issued) ? issued : Date.now());
}

/**
 * The token source of a key pair: `POST /v2/authentication` with the public and private key,
 * answering `{token, expiration_date}`.
 * https://docs.sezzle.com/docs/api/core/authentication/postauthentication
 */
function tokenSource(
  authClient: SezzleCaller,
  { publicKey, privateKey }: Record<"publicKey" | "privateKey", Secret>,
): () => Promise<FetchedToken> {
  return async () => {
    const { data, error, response } = await authClient.POST(AUTH_PATH, {
      body: { public_key: publicKey.reveal(), private_key: privateKey.reveal() },
      parseAs: "text",
    });
    if (error !== undefined || !response.ok) {
      throw tokenEndpointError(
        PROVIDER,
        `POST ${AUTH_PATH}`,
        response,
        error ?? null,
        "the API keys",
      );
    }
    const json = parseJson(data ?? "");
    const token = isRecord(json) ? json.token : undefined;
    if (typeof token !== "string" || token.length === 0) {
      throw tokenMissing(PROVIDER, `POST ${AUTH_PATH}`, response.status, json, "token", "a token");
    }
    const expirationDate = isRecord(json) ? json.expiration_date : undefined;
    return { token, expiresInMs: lifetimeOf(expirationDate, response.headers.get("date")) };
  };
}

/**
 * The checked config made into calls: the base URL, the transport and the bearer-token auth, with
 * `make` building the caller of a base URL and fetch (the token calls go through one too).
 */
function connect<C extends SezzleCaller>(
  options: SezzleClientOptions,
  make: (baseUrl: string, fetch: typeof globalThis.fetch) => C,
): C {
  assertClientOptions(PROVIDER, options);
  const baseUrl = resolveSezzleBaseUrl(options);
  const credentials = resolveTokenOrPair(PROVIDER, options, "publicKey", "privateKey");
  const transport = providerTransport(PROVIDER, options, {
    isIdempotent,
    // A request with the same Sezzle-Request-Id still being processed (409 "in progress"): the
    // same bytes later get the first request's answer, so it is retried like a 503.
    isRetryableResponse: isInProgressResponse,
  });
  const authFetch = tokenPairFetch(PROVIDER, options, transport, credentials, (pair) =>
    tokenSource(make(baseUrl, transport), pair),
  );
  return make(baseUrl, authFetch);
}

/**
 * A typed client for the Sezzle API v2: `client.POST("/v2/order/{order_uuid}/refund", ...)`.
 * Sends `Authorization: Bearer <token>` (the given token, or one fetched from
 * `POST /v2/authentication` with the keys, cached until its `expiration_date` and refreshed once
 * on a 401), with a per-attempt timeout and retries only for requests carrying
 * `Sezzle-Request-Id` (and the auth call). Throws RefundError("invalid_request") for bad config.
 *
 * @see https://docs.sezzle.com/docs/api/core/orders/postv2refundbyorder (the refund)
 * @see https://docs.sezzle.com/docs/api/core/authentication/postauthentication (the token)
 */
export function createSezzleClient(options: SezzleClientOptions): SezzleClient {
  return connect(options, (baseUrl, fetch) =>
    createClient<paths>(clientOptions(PROVIDER, baseUrl, fetch, defaultPathSerializer)),
  );
}

/**
 * `createSezzleClient`'s GET and POST, with the same config, checks, auth and transport, sent
 * through core's JSON sender instead of openapi-fetch (see `SezzleCaller`). For the facade.
 */
export function createSezzleCaller(options: SezzleClientOptions): SezzleCaller {
  return connect(
    options,
    (baseUrl, fetch) => createJsonClient(PROVIDER, baseUrl, fetch) as SezzleCaller,
  );
}
