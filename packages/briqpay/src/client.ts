import {
  assertClientOptions,
  clientOptions,
  configError,
  createAuthFetch,
  createJsonClient,
  type Environment,
  providerTransport,
  requireSecret,
  resolveBaseUrl,
  type Secret,
  type TransportOptions,
} from "@refundkit/core/internal";
import createClient, { type Client, defaultPathSerializer } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { apiVersion, servers } from "./generated/spec.js";

/** Briqpay credentials and host. Either `environment` or `baseUrl` is required. */
export interface BriqpayConfig {
  /**
   * Production `https://api.briqpay.com/v3`, sandbox `https://playground-api.briqpay.com/v3`
   * (from the spec's servers).
   */
  environment?: Environment;
  /**
   * Overrides the environment's URL (a proxy, a local emulator, the mock server). Give either the
   * API root (`http://localhost:4010`) or the versioned root (`http://localhost:4010/v3`), with or
   * without a trailing slash: every spec path is relative to `/v3`, so it is appended when
   * missing (core's `normalizeBaseUrl`, the rule of every provider). Another version is refused.
   */
  baseUrl?: string;
  /** The merchant id: the user part of `Authorization: Basic base64(username:secret)`. */
  username: string;
  /** The API secret. */
  secret: string | Secret;
  /**
   * Optional webhook signing secret (Briqpay dashboard, developers > webhooks). When set,
   * `refunds.webhooks.verify` also requires a valid `x-briq-signature`; the session is read back
   * either way. Signing is documented only in Briqpay's published connector
   * (https://github.com/Briqpay-Extensions/connect-payment-integration-briqpay).
   */
  webhookSecret?: string;
}

/** `createBriqpayClient` options: the config plus the transport (fetch, timeout, retries). */
export interface BriqpayClientOptions extends BriqpayConfig, TransportOptions {}

/** A typed openapi-fetch client for the Briqpay v3 API (paths relative to `/v3`). */
export type BriqpayClient = Client<paths>;

/**
 * The calls the adapter and lookup make: a `BriqpayClient`'s GET and POST. `createBriqpayClient`
 * gives the openapi-fetch client; `createBriqpayCaller` the same calls through core's small JSON
 * sender, which the `refundkit` facade uses so that its bundle does not carry openapi-fetch.
 */
export type BriqpayCaller = Pick<BriqpayClient, "GET" | "POST">;

/** C0/C1 control characters: never valid in a credential. */
function hasControl(text: string): boolean {
  // `\p{Cc}` is exactly U+0000-001F and U+007F-009F.
  return /\p{Cc}/u.test(text);
}

const PROVIDER = "briqpay";

/** The merchant id: a plain string (it is not a secret), not a Secret. */
function requireUsername(value: unknown): string {
  if (value === undefined || value === null || value === "") {
    throw configError(PROVIDER, "username is required (the merchant id)");
  }
  if (typeof value !== "string") throw configError(PROVIDER, "username must be a string");
  // Basic auth splits user and secret at the first colon.
  if (value.includes(":") || hasControl(value)) {
    throw configError(PROVIDER, "username must not contain a colon or control characters");
  }
  return value;
}

/** The secret is base64-encoded into the header, so any text without control characters works. */
function requireBasicSecret(value: unknown): Secret {
  const secret = requireSecret(PROVIDER, "secret", value);
  if (hasControl(secret.reveal())) {
    throw configError(PROVIDER, "secret must not contain control characters");
  }
  return secret;
}

/** `Basic base64(username:secret)` over the UTF-8 bytes (btoa alone fails on non-Latin-1). */
function basicAuthorization(username: string, secret: Secret): string {
  return `Basic ${Buffer.from(`${username}:${secret.reveal()}`, "utf8").toString("base64")}`;
}
/** Every request asks for JSON. */
const ACCEPT_JSON = { Accept: "application/json" };

/**
 * A typed openapi-fetch client for Briqpay v3 with `Authorization: Basic base64(username:secret)`,
 * a per-attempt timeout and retries only of requests that provably never left.
 *
 * @see https://developer.briqpay.com/docs/3.0.0/api/order-management (refund a capture, auth)
 * @throws RefundError("invalid_request") naming the missing or bad option.
 */
export function createBriqpayClient(options: BriqpayClientOptions): BriqpayClient {
  const { baseUrl, fetch } = connect(options);
  return createClient<paths>(
    clientOptions(PROVIDER, baseUrl, fetch, defaultPathSerializer, ACCEPT_JSON),
  );
}

/**
 * `createBriqpayClient`'s GET and POST, with the same config, checks, auth and transport, sent
 * through core's JSON sender instead of openapi-fetch (see `BriqpayCaller`). For the facade.
 */
export function createBriqpayCaller(options: BriqpayClientOptions): BriqpayCaller {
  const { baseUrl, fetch } = connect(options);
  return createJsonClient(PROVIDER, baseUrl, fetch, ACCEPT_JSON) as BriqpayCaller;
}

/** The checked config made into a base URL and an authenticated fetch. */
function connect(options: BriqpayClientOptions): {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
} {
  assertClientOptions(PROVIDER, options);
  // With or without /v3 (the spec's apiVersion, generated), a baseUrl ends up as the servers are.
  const baseUrl = resolveBaseUrl(PROVIDER, options, servers, apiVersion);
  const username = requireUsername(options.username);
  const secret = requireBasicSecret(options.secret);
  const transport = providerTransport(PROVIDER, options, {
    // Briqpay documents no idempotency handle: a request that may have reached Briqpay is never
    // sent again. Core still retries a request that provably never left.
    // A read (GET /session/{sessionId}) changes nothing and is safe to send again (RFC 9110
    // §9.2.1, https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1).
    isIdempotent: (request) => request.method === "GET",
  });
  const fetch = createAuthFetch({
    fetch: transport,
    authorize: async () => basicAuthorization(username, secret),
  });
  return { baseUrl, fetch };
}
