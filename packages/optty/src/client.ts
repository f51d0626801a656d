import {
  assertClientOptions,
  assertHttpUrl,
  clientOptions,
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
import { operationServers, servers } from "./generated/spec.js";

/** `"sandbox"` (Optty's QA hosts) or `"production"`, from the spec's servers. */
export type OpttyEnvironment = keyof typeof servers;

/** Where and as whom to talk to Optty. */
export interface OpttyConfig {
  /** "sandbox" (api.qa.optty.com) or "production". Required unless `baseUrl` is given. */
  environment?: OpttyEnvironment;
  /** An explicit API base URL (a proxy, the refundkit mock). Wins over `environment`. */
  baseUrl?: string;
  /**
   * The auth server (`https://auth.optty.com`) or its token endpoint (`.../token`). Default: the
   * spec's auth host for `environment`; with `baseUrl` and no `authUrl`, `<baseUrl>/token` (one
   * origin, as the refundkit mock serves it).
   */
  authUrl?: string;
  /** A bearer token you obtained yourself. Used as is: it is not refreshed. */
  token?: string;
  /** OAuth client id; with `clientSecret`, tokens come from the `/token` endpoint. */
  clientId?: string;
  /** OAuth client secret; with `clientId`, tokens come from the `/token` endpoint. */
  clientSecret?: string;
}

/** Options of `createOpttyClient`: the Optty config and the shared transport options. */
export type OpttyClientOptions = OpttyConfig & TransportOptions;

/** The typed openapi-fetch client for the Optty Merchant API (the generated `paths`). */
export type OpttyClient = Client<paths>;

/**
 * The calls the adapter and lookup make: an `OpttyClient`'s GET and POST. `createOpttyClient`
 * gives the openapi-fetch client; `createOpttyCaller` the same calls through core's small JSON
 * sender, which the `refundkit` facade uses so that its bundle does not carry openapi-fetch.
 */
export type OpttyCaller = Pick<OpttyClient, "GET" | "POST">;

const PROVIDER = "optty";
/**
 * The token endpoint (the spec's PostToken), checked against the generated `paths`; a literal,
 * and its hosts from `operationServers`, so that the refund path does not bundle `operations`.
 */
const TOKEN_PATH = "/token" satisfies keyof paths;
const REFUND_PATH = /\/orders\/[^/]+\/refund$/;
/**
 * Transaction Details is a POST that only reads (https://docs.optty.com/api-references/transaction-details):
 * sending it again changes nothing, so it is retried like a safe method.
 */
const DETAILS_PATH = /\/orders\/[^/]+\/details$/;
/** When `expires_in` is missing or unreadable: a conservative guess (documented: 86400 s). */
const FALLBACK_TOKEN_LIFETIME_S = 3600;

/** The API and auth base URLs a config resolves to. */
export interface OpttyEndpoints {
  /** The API base URL (refunds). */
  baseUrl: string;
  /** The auth server base URL; the token is requested at `<authBaseUrl>/token`. */
  authBaseUrl: string;
}

/**
 * Resolves the API and auth hosts: `baseUrl` wins over `environment`; `authUrl` wins over
 * everything for the token; `baseUrl` alone puts the token at `<baseUrl>/token`.
 */
export function resolveOpttyEndpoints(config: OpttyConfig): OpttyEndpoints {
  // Optty reads null as "not given", as for every other optional field.
  const baseUrl = optionalString(PROVIDER, "baseUrl", config.baseUrl);
  const authUrl = optionalString(PROVIDER, "authUrl", config.authUrl);
  const env = config.environment ?? undefined;
  const api = resolveBaseUrl(PROVIDER, { environment: env, baseUrl }, servers);
  let auth: string;
  if (authUrl !== undefined) {
    const trimmed = assertHttpUrl(PROVIDER, "authUrl", authUrl);
    // Accept the token endpoint itself as well as the auth server.
    auth = new URL(trimmed).pathname.endsWith(TOKEN_PATH)
      ? trimmed.slice(0, -TOKEN_PATH.length)
      : trimmed;
  } else if (baseUrl !== undefined) {
    auth = api;
  } else {
    auth = operationServers.PostToken[env as OpttyEnvironment];
  }
  return { baseUrl: api, authBaseUrl: auth };
}

/**
 * Whether a request may be sent again: refunds always carry refundReference, which Optty
 * deduplicates; Transaction Details only reads; asking for a token twice is harmless.
 */
function isIdempotentFor(tokenUrl: string): (request: Request) => boolean {
  return (request) => {
    if (request.method !== "POST") return false;
    const url = new URL(request.url);
    return (
      `${url.origin}${url.pathname}` === tokenUrl ||
      REFUND_PATH.test(url.pathname) ||
      DETAILS_PATH.test(url.pathname)
    );
  };
}

/**
 * The token source of a client-credentials pair: `POST /token` (form-encoded, as Optty's own
 * plugin sends it), answering `{access_token, expires_in}`.
 * https://wordpress.org/plugins/optty/
 */
function tokenSource(
  authClient: OpttyCaller,
  { clientId, clientSecret }: Record<"clientId" | "clientSecret", Secret>,
): () => Promise<FetchedToken> {
  return async () => {
    const { data, error, response } = await authClient.POST(TOKEN_PATH, {
      body: {
        client_id: clientId.reveal(),
        client_secret: clientSecret.reveal(),
        grant_type: "client_credentials",
        scope: "api-user",
      },
      bodySerializer: (body) => new URLSearchParams(body).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      parseAs: "text",
    });
    if (error !== undefined || !response.ok) {
      throw tokenEndpointError(
        PROVIDER,
        `POST ${TOKEN_PATH}`,
        response,
        error ?? null,
        "the client credentials",
      );
    }
    const json = parseJson(typeof data === "string" ? data : "");
    const body = isRecord(json) ? json : {};
    const token = body.access_token;
    if (typeof token !== "string" || token.length === 0) {
      throw tokenMissing(
        PROVIDER,
        `POST ${TOKEN_PATH}`,
        response.status,
        json,
        "access_token",
        "an access_token",
      );
    }
    const expiresIn =
      typeof body.expires_in === "number" && Number.isFinite(body.expires_in) && body.expires_in > 0
        ? body.expires_in
        : FALLBACK_TOKEN_LIFETIME_S;
    // A lifetime: the token cache counts it from when it asked, on its own clock.
    return { token, expiresInMs: expiresIn * 1000 };
  };
}

/**
 * A typed client for the Optty Merchant API: `client.POST("/orders/{orderReference}/refund", ...)`.
 * Sends `Authorization: Bearer <token>` (the given token, or one from the client-credentials
 * `/token` call, cached for `expires_in` seconds and refreshed once on a 401), with a per-attempt
 * timeout and retries only for refunds (deduplicated by `refundReference`) and the token call.
 * Throws RefundError("invalid_request") for bad config.
 *
 * @see https://docs.optty.com/api-references/refund-order (the refund, Bearer auth)
 * @see https://wordpress.org/plugins/optty/ (Optty's own plugin: the client-credentials token call)
 */
export function createOpttyClient(options: OpttyClientOptions): OpttyClient {
  return connect(options, (baseUrl, fetch) =>
    createClient<paths>(clientOptions(PROVIDER, baseUrl, fetch, defaultPathSerializer)),
  );
}

/**
 * `createOpttyClient`'s GET and POST, with the same config, checks, auth and transport, sent
 * through core's JSON sender instead of openapi-fetch (see `OpttyCaller`). For the facade.
 */
export function createOpttyCaller(options: OpttyClientOptions): OpttyCaller {
  return connect(
    options,
    (baseUrl, fetch) => createJsonClient(PROVIDER, baseUrl, fetch) as OpttyCaller,
  );
}

/**
 * The checked config made into calls: the API and auth hosts, the transport and the bearer-token
 * auth, with `make` building the caller of a base URL and fetch (the token call has one too).
 */
function connect<C extends OpttyCaller>(
  options: OpttyClientOptions,
  make: (baseUrl: string, fetch: typeof globalThis.fetch) => C,
): C {
  assertClientOptions(PROVIDER, options);
  const { baseUrl, authBaseUrl } = resolveOpttyEndpoints(options);
  const credentials = resolveTokenOrPair(PROVIDER, options, "clientId", "clientSecret");
  const transport = providerTransport(PROVIDER, options, {
    isIdempotent: isIdempotentFor(`${authBaseUrl}${TOKEN_PATH}`),
    // A refund with the same refundReference still being processed (409 "in progress"): the
    // same bytes later get the first request's answer, so it is retried like a 503.
    isRetryableResponse: isInProgressResponse,
  });
  const authFetch = tokenPairFetch(PROVIDER, options, transport, credentials, (pair) =>
    tokenSource(make(authBaseUrl, transport), pair),
  );
  return make(baseUrl, authFetch);
}
