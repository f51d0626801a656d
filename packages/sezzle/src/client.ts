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
import { operations, type Region, type servers, serversByRegion } from "./generated/spec.js";

export type SezzleEnvironment = keyof typeof servers;
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

export type SezzleClientOptions = SezzleConfig & TransportOptions;

/** The typed openapi-fetch client for the Sezzle API (the generated `paths`). */
export type SezzleClient = Client<paths>;

const PROVIDER = "sezzle";
const AUTH_PATH = operations.PostAuthentication.path;
/** When `expiration_date` is missing or unreadable: a conservative guess (tokens live ~120 min). */
const FALLBACK_TOKEN_LIFETIME_MS = 30 * 60_000;

function invalidConfig(message: string): RefundError {
  return new RefundError({
    code: "invalid_request",
    provider: PROVIDER,
    message: `sezzle: ${message}`,
    status: null,
    retryable: false,
  });
}

function optionalString(config: SezzleConfig, field: keyof SezzleConfig): string | undefined {
  const value: unknown = config[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    // Never echo the value: it may be a credential.
    throw invalidConfig(`${field} must be a non-empty string when given`);
  }
  return value;
}

/** Resolves the base URL: `baseUrl` if given, else the spec's server for environment and region. */
export function resolveSezzleBaseUrl(config: SezzleConfig): string {
  const baseUrl = optionalString(config, "baseUrl");
  const region: unknown = config.region ?? "us";
  if (!Object.hasOwn(serversByRegion, String(region))) {
    throw invalidConfig(`region must be one of ${Object.keys(serversByRegion).join(", ")}`);
  }
  if (baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw invalidConfig("baseUrl must be an absolute http(s) URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw invalidConfig("baseUrl must be an absolute http(s) URL");
    }
    if (url.username !== "" || url.password !== "") {
      throw invalidConfig(
        "baseUrl must not contain credentials; use token or publicKey/privateKey",
      );
    }
    return baseUrl.replace(/\/+$/, "");
  }
  const environment: unknown = config.environment;
  if (environment === undefined || environment === null) {
    throw invalidConfig(
      'environment ("sandbox" | "production") or baseUrl is required; there is no default to live',
    );
  }
  if (environment !== "sandbox" && environment !== "production") {
    throw invalidConfig('environment must be "sandbox" or "production"');
  }
  return serversByRegion[region as SezzleRegion][environment];
}

type Credentials =
  | { kind: "token"; token: Secret }
  | { kind: "keys"; publicKey: Secret; privateKey: Secret };

function resolveCredentials(config: SezzleConfig): Credentials {
  const token = optionalString(config, "token");
  const publicKey = optionalString(config, "publicKey");
  const privateKey = optionalString(config, "privateKey");
  if (token !== undefined) {
    if (publicKey !== undefined || privateKey !== undefined) {
      throw invalidConfig("pass either token or publicKey + privateKey, not both");
    }
    return { kind: "token", token: new Secret(token) };
  }
  if (publicKey === undefined && privateKey === undefined) {
    throw invalidConfig("credentials are required: token, or publicKey and privateKey");
  }
  if (publicKey === undefined) throw invalidConfig("publicKey is required with privateKey");
  if (privateKey === undefined) throw invalidConfig("privateKey is required with publicKey");
  return { kind: "keys", publicKey: new Secret(publicKey), privateKey: new Secret(privateKey) };
}

/**
 * Retry safety: a request with `Sezzle-Request-Id` is deduplicated by Sezzle, and asking for a
 * token twice is harmless. Anything else is sent once after it may have reached the server.
 */
function isIdempotent(request: Request): boolean {
  if (request.headers.has("sezzle-request-id")) return true;
  return request.method === "POST" && new URL(request.url).pathname.endsWith(AUTH_PATH);
}

/** Errors of the auth call: the body stays in `raw`, the keys never appear anywhere. */
function authError(status: number, raw: unknown): RefundError {
  const refused = status === 400 || status === 401 || status === 403;
  const retryable = status === 408 || status === 429 || status >= 500;
  return new RefundError({
    // Not errorCodeForStatus: a 404 from the token endpoint must not read as "order not found".
    code: refused ? "authentication_failed" : status === 429 ? "rate_limited" : "provider_error",
    provider: PROVIDER,
    message: refused
      ? `sezzle: POST ${AUTH_PATH} answered ${status}: the API keys were not accepted`
      : `sezzle: POST ${AUTH_PATH} answered ${status}`,
    status,
    retryable,
    raw,
  });
}

function expiryOf(expirationDate: unknown): number {
  const parsed = typeof expirationDate === "string" ? Date.parse(expirationDate) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : Date.now() + FALLBACK_TOKEN_LIFETIME_MS;
}

/**
 * A typed client for the Sezzle API v2: `client.POST("/v2/order/{order_uuid}/refund", ...)`.
 * Sends `Authorization: Bearer <token>` (the given token, or one fetched from
 * `POST /v2/authentication` with the keys, cached until its `expiration_date` and refreshed once
 * on a 401), with a per-attempt timeout and retries only for requests carrying
 * `Sezzle-Request-Id` (and the auth call). Throws RefundError("invalid_request") for bad config.
 */
export function createSezzleClient(options: SezzleClientOptions): SezzleClient {
  if (options === null || typeof options !== "object") {
    throw invalidConfig("options must be an object");
  }
  const baseUrl = resolveSezzleBaseUrl(options);
  const credentials = resolveCredentials(options);
  const transport = createResilientFetch({
    provider: PROVIDER,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    isIdempotent,
  });

  let authFetch: typeof globalThis.fetch;
  if (credentials.kind === "token") {
    const header = `Bearer ${credentials.token.reveal()}`;
    authFetch = createAuthFetch({ fetch: transport, authorize: async () => header });
  } else {
    const authClient = createClient<paths>({ baseUrl, fetch: transport });
    const { publicKey, privateKey } = credentials;
    const fetchToken = async (): Promise<FetchedToken> => {
      const { data, error, response } = await authClient.POST("/v2/authentication", {
        body: { public_key: publicKey.reveal(), private_key: privateKey.reveal() },
        parseAs: "text",
      });
      if (error !== undefined || !response.ok) {
        throw authError(response.status, error ?? null);
      }
      const { json } = await readJsonBody(new Response(data ?? ""));
      const token =
        typeof json === "object" && json !== null && "token" in json ? json.token : undefined;
      if (typeof token !== "string" || token.length === 0) {
        throw new RefundError({
          code: "authentication_failed",
          provider: PROVIDER,
          message: `sezzle: POST ${AUTH_PATH} answered ${response.status} without a token`,
          status: response.status,
          retryable: false,
          // The body would hold a token if it had one; it has none, so it is safe to keep.
          raw: json ?? data ?? null,
        });
      }
      const expirationDate =
        typeof json === "object" && json !== null && "expiration_date" in json
          ? json.expiration_date
          : undefined;
      return { token, expiresAt: expiryOf(expirationDate) };
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
