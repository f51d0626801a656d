import {
  createAuthFetch,
  createResilientFetch,
  type Environment,
  RefundError,
  Secret,
  type TransportOptions,
} from "@refundkit/core";
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { servers } from "./generated/spec.js";

/** LevelUp credentials and host. Either `environment` or `baseUrl` is required. */
export interface LevelUpConfig {
  /**
   * Picks the base URL from the spec's servers: production `https://api.thelevelup.com`, sandbox
   * `https://sandbox.thelevelup.com`. The sandbox host is disputed: some sources use
   * `https://api.sandbox-levelup.com` (exported as `alternativeServers.sandbox`); pass it as
   * `baseUrl` if your sandbox account lives there.
   */
  environment?: Environment;
  /** Overrides the environment's host (the alternative sandbox, a proxy, the mock server). */
  baseUrl?: string;
  /** Merchant access token, sent as `Authorization: token <token>`. */
  token: string | Secret;
}

/** `createLevelUpClient` options: the config plus the transport (fetch, timeout, retries). */
export interface LevelUpClientOptions extends LevelUpConfig, TransportOptions {}

/** A typed openapi-fetch client for the LevelUp v14 API. */
export type LevelUpClient = Client<paths>;

function invalidConfig(message: string): RefundError {
  return new RefundError({
    code: "invalid_request",
    provider: "levelup",
    message: `levelup: ${message}`,
    status: null,
    retryable: false,
  });
}

/** environment / baseUrl -> the base URL; never a silent default to the live host. */
function resolveBaseUrl(options: LevelUpConfig): string {
  const { environment, baseUrl } = options;
  if (environment !== undefined && environment !== "sandbox" && environment !== "production") {
    throw invalidConfig('environment must be "sandbox" or "production"');
  }
  if (baseUrl !== undefined) {
    let url: URL;
    try {
      if (typeof baseUrl !== "string") throw new TypeError();
      url = new URL(baseUrl);
    } catch {
      // The value is not echoed: a mistyped URL may carry credentials.
      throw invalidConfig("baseUrl must be an absolute http(s) URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw invalidConfig("baseUrl must be an absolute http(s) URL");
    }
    if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
      throw invalidConfig("baseUrl must not contain credentials, a query or a fragment");
    }
    return baseUrl.replace(/\/+$/, "");
  }
  if (environment === undefined) {
    throw invalidConfig(
      'pass environment ("sandbox" | "production") or baseUrl; there is no default host',
    );
  }
  return servers[environment];
}

/** The token as a Secret; errors name the field and never echo the value. */
function requireToken(value: unknown): Secret {
  if (value === undefined || value === null || value === "") {
    throw invalidConfig("token is required (the merchant access token)");
  }
  if (!(value instanceof Secret) && typeof value !== "string") {
    throw invalidConfig("token must be a string");
  }
  const secret = Secret.from(value);
  // Visible ASCII only: anything else would be refused by Headers with the value in its message.
  if (!/^[\x21-\x7E]+$/.test(secret.reveal())) {
    throw invalidConfig(
      "token must be visible ASCII without spaces (it is sent in the Authorization header)",
    );
  }
  return secret;
}

function transport(options: TransportOptions) {
  try {
    return createResilientFetch({
      provider: "levelup",
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      // LevelUp has no idempotency handle: a request that may have reached LevelUp is never sent
      // again. Core still retries a request that provably never left (connection refused...).
      isIdempotent: () => false,
    });
  } catch (error) {
    throw invalidConfig(error instanceof Error ? error.message : "invalid transport options");
  }
}

/**
 * A typed openapi-fetch client for LevelUp with `Authorization: token <token>`, a per-attempt
 * timeout and retries only where a refund cannot happen twice.
 *
 * @throws RefundError("invalid_request") naming the missing or bad option.
 */
export function createLevelUpClient(options: LevelUpClientOptions): LevelUpClient {
  if (options === null || typeof options !== "object") {
    throw invalidConfig("options must be an object");
  }
  const baseUrl = resolveBaseUrl(options);
  const token = requireToken(options.token);
  const fetch = createAuthFetch({
    fetch: transport(options),
    authorize: async () => `token ${token.reveal()}`,
  });
  return createClient<paths>({ baseUrl, fetch, headers: { Accept: "application/json" } });
}
