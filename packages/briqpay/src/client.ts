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

/** Briqpay credentials and host. Either `environment` or `baseUrl` is required. */
export interface BriqpayConfig {
  /**
   * Production `https://api.briqpay.com/v3`, sandbox `https://playground-api.briqpay.com/v3`
   * (from the spec's servers).
   */
  environment?: Environment;
  /**
   * Overrides the environment's URL (a proxy, a local emulator, the mock server). Give either the
   * API root (`http://localhost:4010`) or the versioned root (`http://localhost:4010/v3`): a URL
   * that does not end in `/v3` gets `/v3` appended, since every spec path is relative to it.
   */
  baseUrl?: string;
  /** The merchant id: the user part of `Authorization: Basic base64(username:secret)`. */
  username: string;
  /** The API secret. */
  secret: string | Secret;
}

/** `createBriqpayClient` options: the config plus the transport (fetch, timeout, retries). */
export interface BriqpayClientOptions extends BriqpayConfig, TransportOptions {}

/** A typed openapi-fetch client for the Briqpay v3 API (paths relative to `/v3`). */
export type BriqpayClient = Client<paths>;

/** C0/C1 control characters: never valid in a credential. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return true;
  }
  return false;
}

function invalidConfig(message: string): RefundError {
  return new RefundError({
    code: "invalid_request",
    provider: "briqpay",
    message: `briqpay: ${message}`,
    status: null,
    retryable: false,
  });
}

function resolveBaseUrl(options: BriqpayConfig): string {
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
    const trimmed = baseUrl.replace(/\/+$/, "");
    return trimmed.endsWith("/v3") ? trimmed : `${trimmed}/v3`;
  }
  if (environment === undefined) {
    throw invalidConfig(
      'pass environment ("sandbox" | "production") or baseUrl; there is no default host',
    );
  }
  return servers[environment];
}

function requireUsername(value: unknown): string {
  if (value === undefined || value === null || value === "") {
    throw invalidConfig("username is required (the merchant id)");
  }
  if (typeof value !== "string") throw invalidConfig("username must be a string");
  // Basic auth splits user and secret at the first colon.
  if (value.includes(":") || hasControl(value)) {
    throw invalidConfig("username must not contain a colon or control characters");
  }
  return value;
}

function requireSecret(value: unknown): Secret {
  if (value === undefined || value === null || value === "") {
    throw invalidConfig("secret is required");
  }
  if (!(value instanceof Secret) && typeof value !== "string") {
    throw invalidConfig("secret must be a string");
  }
  const secret = Secret.from(value);
  if (secret.reveal() === "") throw invalidConfig("secret is required");
  if (hasControl(secret.reveal()))
    throw invalidConfig("secret must not contain control characters");
  return secret;
}

/** `Basic base64(username:secret)` over the UTF-8 bytes (btoa alone fails on non-Latin-1). */
function basicAuthorization(username: string, secret: Secret): string {
  return `Basic ${Buffer.from(`${username}:${secret.reveal()}`, "utf8").toString("base64")}`;
}

function transport(options: TransportOptions): typeof globalThis.fetch {
  try {
    return createResilientFetch({
      provider: "briqpay",
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      // Briqpay documents no idempotency handle: a request that may have reached Briqpay is never
      // sent again. Core still retries a request that provably never left.
      isIdempotent: () => false,
    });
  } catch (error) {
    throw invalidConfig(error instanceof Error ? error.message : "invalid transport options");
  }
}

/**
 * A typed openapi-fetch client for Briqpay v3 with `Authorization: Basic base64(username:secret)`,
 * a per-attempt timeout and retries only of requests that provably never left.
 *
 * @throws RefundError("invalid_request") naming the missing or bad option.
 */
export function createBriqpayClient(options: BriqpayClientOptions): BriqpayClient {
  if (options === null || typeof options !== "object") {
    throw invalidConfig("options must be an object");
  }
  const baseUrl = resolveBaseUrl(options);
  const username = requireUsername(options.username);
  const secret = requireSecret(options.secret);
  const fetch = createAuthFetch({
    fetch: transport(options),
    authorize: async () => basicAuthorization(username, secret),
  });
  return createClient<paths>({ baseUrl, fetch, headers: { Accept: "application/json" } });
}
