import {
  createAuthFetch,
  createResilientFetch,
  createTokenCache,
  type FetchedToken,
  RefundError,
  readJsonBody,
  Secret,
  type TransportOptions,
} from "@refundkit/core";
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { operations, servers } from "./generated/spec.js";

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

export type OpttyClientOptions = OpttyConfig & TransportOptions;

/** The typed openapi-fetch client for the Optty Merchant API (the generated `paths`). */
export type OpttyClient = Client<paths>;

const PROVIDER = "optty";
const TOKEN_PATH = operations.PostToken.path;
const REFUND_PATH = /\/orders\/[^/]+\/refund$/;
/** When `expires_in` is missing or unreadable: a conservative guess (documented: 86400 s). */
const FALLBACK_TOKEN_LIFETIME_S = 3600;

function invalidConfig(message: string): RefundError {
  return new RefundError({
    code: "invalid_request",
    provider: PROVIDER,
    message: `optty: ${message}`,
    status: null,
    retryable: false,
  });
}

function optionalString(config: OpttyConfig, field: keyof OpttyConfig): string | undefined {
  const value: unknown = config[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    // Never echo the value: it may be a credential.
    throw invalidConfig(`${field} must be a non-empty string when given`);
  }
  return value;
}

function httpUrl(field: "baseUrl" | "authUrl", value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidConfig(`${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalidConfig(`${field} must be an absolute http(s) URL`);
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidConfig(`${field} must not contain credentials`);
  }
  return url;
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, "");
}

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
  const baseUrl = optionalString(config, "baseUrl");
  const authUrl = optionalString(config, "authUrl");
  const environment: unknown = config.environment;
  if (
    environment !== undefined &&
    environment !== null &&
    environment !== "sandbox" &&
    environment !== "production"
  ) {
    throw invalidConfig('environment must be "sandbox" or "production"');
  }
  if (baseUrl === undefined && (environment === undefined || environment === null)) {
    throw invalidConfig(
      'environment ("sandbox" | "production") or baseUrl is required; there is no default to live',
    );
  }
  const env = environment as OpttyEnvironment | undefined;
  let api: string;
  if (baseUrl !== undefined) {
    httpUrl("baseUrl", baseUrl);
    api = trimSlashes(baseUrl);
  } else {
    api = servers[env as OpttyEnvironment];
  }
  let auth: string;
  if (authUrl !== undefined) {
    httpUrl("authUrl", authUrl);
    const trimmed = trimSlashes(authUrl);
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

type Credentials =
  | { kind: "token"; token: Secret }
  | { kind: "client"; clientId: Secret; clientSecret: Secret };

function resolveCredentials(config: OpttyConfig): Credentials {
  const token = optionalString(config, "token");
  const clientId = optionalString(config, "clientId");
  const clientSecret = optionalString(config, "clientSecret");
  if (token !== undefined) {
    if (clientId !== undefined || clientSecret !== undefined) {
      throw invalidConfig("pass either token or clientId + clientSecret, not both");
    }
    return { kind: "token", token: new Secret(token) };
  }
  if (clientId === undefined && clientSecret === undefined) {
    throw invalidConfig("credentials are required: token, or clientId and clientSecret");
  }
  if (clientId === undefined) throw invalidConfig("clientId is required with clientSecret");
  if (clientSecret === undefined) throw invalidConfig("clientSecret is required with clientId");
  return { kind: "client", clientId: new Secret(clientId), clientSecret: new Secret(clientSecret) };
}

function authError(status: number, raw: unknown): RefundError {
  const refused = status === 400 || status === 401 || status === 403;
  return new RefundError({
    // Not errorCodeForStatus: a 404 from the token endpoint must not read as "order not found".
    code: refused ? "authentication_failed" : status === 429 ? "rate_limited" : "provider_error",
    provider: PROVIDER,
    message: refused
      ? `optty: POST ${TOKEN_PATH} answered ${status}: the client credentials were not accepted`
      : `optty: POST ${TOKEN_PATH} answered ${status}`,
    status,
    retryable: status === 408 || status === 429 || status >= 500,
    raw,
  });
}

/**
 * A typed client for the Optty Merchant API: `client.POST("/orders/{orderReference}/refund", ...)`.
 * Sends `Authorization: Bearer <token>` (the given token, or one from the client-credentials
 * `/token` call, cached for `expires_in` seconds and refreshed once on a 401), with a per-attempt
 * timeout and retries only for refunds (deduplicated by `refundReference`) and the token call.
 * Throws RefundError("invalid_request") for bad config.
 */
export function createOpttyClient(options: OpttyClientOptions): OpttyClient {
  if (options === null || typeof options !== "object") {
    throw invalidConfig("options must be an object");
  }
  const { baseUrl, authBaseUrl } = resolveOpttyEndpoints(options);
  const credentials = resolveCredentials(options);
  const tokenUrl = `${authBaseUrl}${TOKEN_PATH}`;
  const transport = createResilientFetch({
    provider: PROVIDER,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    isIdempotent(request) {
      if (request.method !== "POST") return false;
      const url = new URL(request.url);
      // Refunds always carry refundReference, which Optty deduplicates; tokens are harmless.
      return `${url.origin}${url.pathname}` === tokenUrl || REFUND_PATH.test(url.pathname);
    },
  });

  let authFetch: typeof globalThis.fetch;
  if (credentials.kind === "token") {
    const header = `Bearer ${credentials.token.reveal()}`;
    authFetch = createAuthFetch({ fetch: transport, authorize: async () => header });
  } else {
    const authClient = createClient<paths>({ baseUrl: authBaseUrl, fetch: transport });
    const { clientId, clientSecret } = credentials;
    const fetchToken = async (): Promise<FetchedToken> => {
      const requestedAt = Date.now();
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
      if (error !== undefined || !response.ok) throw authError(response.status, error ?? null);
      const { json } = await readJsonBody(new Response(typeof data === "string" ? data : ""));
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
          raw: json ?? data ?? null,
        });
      }
      const expiresIn =
        typeof body.expires_in === "number" &&
        Number.isFinite(body.expires_in) &&
        body.expires_in > 0
          ? body.expires_in
          : FALLBACK_TOKEN_LIFETIME_S;
      return { token, expiresAt: requestedAt + expiresIn * 1000 };
    };
    const cache = createTokenCache({ fetchToken });
    authFetch = createAuthFetch({
      fetch: transport,
      authorize: async () => `Bearer ${await cache.get()}`,
      onUnauthorized: (headerValue) => cache.invalidate(headerValue.replace(/^Bearer /, "")),
    });
  }

  return createClient<paths>({ baseUrl, fetch: (request: Request) => authFetch(request) });
}
