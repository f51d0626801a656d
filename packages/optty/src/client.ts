import {
  assertHttpUrl,
  configError,
  createBearerFetch,
  createResilientFetch,
  type FetchedToken,
  guardedPathSerializer,
  isInProgressResponse,
  OutgoingRequest,
  optionalString,
  parseJson,
  RefundError,
  resolveBaseUrl,
  resolveTokenOrPair,
  type TransportOptions,
  tokenEndpointError,
} from "@refundkit/core/internal";
import createClient, { type Client, defaultPathSerializer } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { operations, servers } from "./generated/spec.js";

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

const PROVIDER = "optty";
const TOKEN_PATH = operations.PostToken.path;
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

/** Refuses path parameters that could change the request's path (core's one rule). */
const pathSerializer = /* @__PURE__ */ guardedPathSerializer(PROVIDER, defaultPathSerializer);

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
    auth = operations.PostToken.servers[env as OpttyEnvironment];
  }
  return { baseUrl: api, authBaseUrl: auth };
}

/** A token response body that is safe to keep in an error: JSON naming no token; else null. */
function tokenFreeBody(json: unknown): unknown {
  if (typeof json !== "object" || json === null) return null;
  return "access_token" in json ? null : json;
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
  if (options === null || typeof options !== "object") {
    throw configError(PROVIDER, "options must be an object");
  }
  const { baseUrl, authBaseUrl } = resolveOpttyEndpoints(options);
  const credentials = resolveTokenOrPair(PROVIDER, options, "clientId", "clientSecret");
  const tokenUrl = `${authBaseUrl}${TOKEN_PATH}`;
  const transport = createResilientFetch({
    provider: PROVIDER,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    isIdempotent(request) {
      if (request.method !== "POST") return false;
      const url = new URL(request.url);
      // Refunds always carry refundReference, which Optty deduplicates; tokens are harmless.
      return (
        `${url.origin}${url.pathname}` === tokenUrl ||
        REFUND_PATH.test(url.pathname) ||
        DETAILS_PATH.test(url.pathname)
      );
    },
    // A refund with the same refundReference still being processed (409 "in progress"): the
    // same bytes later get the first request's answer, so it is retried like a 503.
    isRetryableResponse: isInProgressResponse,
  });

  let authFetch: typeof globalThis.fetch;
  if (credentials.kind === "token") {
    authFetch = createBearerFetch(transport, credentials.token);
  } else {
    const authClient = createClient<paths>({
      baseUrl: authBaseUrl,
      fetch: transport,
      pathSerializer,
      Request: OutgoingRequest,
    });
    const { clientId, clientSecret } = credentials.pair;
    const fetchToken = async (): Promise<FetchedToken> => {
      const { data, error, response } = await authClient.POST("/token", {
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
          response.status,
          error ?? null,
          "the client credentials",
        );
      }
      const json = parseJson(typeof data === "string" ? data : "");
      const body =
        typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
      const token = body.access_token;
      if (typeof token !== "string" || token.length === 0) {
        throw new RefundError({
          code: "authentication_failed",
          provider: PROVIDER,
          message: `optty: POST ${TOKEN_PATH} answered ${response.status} without an access_token`,
          status: response.status,
          retryable: false,
          // Kept only when it is JSON without a token field: a body cut off mid-token, or a
          // token of the wrong type, would put (part of) a credential in the error.
          raw: tokenFreeBody(json),
        });
      }
      const expiresIn =
        typeof body.expires_in === "number" &&
        Number.isFinite(body.expires_in) &&
        body.expires_in > 0
          ? body.expires_in
          : FALLBACK_TOKEN_LIFETIME_S;
      // A lifetime: the token cache counts it from when it asked, on its own clock.
      return { token, expiresInMs: expiresIn * 1000 };
    };
    authFetch = createBearerFetch(transport, fetchToken, credentials.token);
  }

  return createClient<paths>({
    baseUrl,
    fetch: (request: Request) => authFetch(request),
    pathSerializer,
    Request: OutgoingRequest,
  });
}
