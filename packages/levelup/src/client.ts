import {
  assertClientOptions,
  assertHeaderSafe,
  clientOptions,
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
  /**
   * The merchant's LevelUp id (a positive integer, or the same as a numeric string). Needed only
   * by `refunds.retrieve` / `refunds.reconcile`: the lookup is per merchant,
   * `GET /v14/merchants/{merchantId}/orders/{uuid}`
   * (http://developer.thelevelup.com/api-reference/v14/orders-merchant-details/).
   */
  merchantId?: number | string;
}

/** `createLevelUpClient` options: the config plus the transport (fetch, timeout, retries). */
export interface LevelUpClientOptions extends LevelUpConfig, TransportOptions {}

/** A typed openapi-fetch client for the LevelUp v14 API. */
export type LevelUpClient = Client<paths>;

/**
 * The calls the adapter and lookup make: a `LevelUpClient`'s GET and POST. `createLevelUpClient`
 * gives the openapi-fetch client; `createLevelUpCaller` the same calls through core's small JSON
 * sender, which the `refundkit` facade uses so that its bundle does not carry openapi-fetch.
 */
export type LevelUpCaller = Pick<LevelUpClient, "GET" | "POST">;

const PROVIDER = "levelup";
/** Every request asks for JSON. */
const ACCEPT_JSON = { Accept: "application/json" };

/**
 * A typed openapi-fetch client for LevelUp with `Authorization: token <token>`, a per-attempt
 * timeout and retries only where a refund cannot happen twice.
 *
 * @see https://developer.thelevelup.com/api-reference/v14/orders-refunds/ (refund, auth, host)
 * @throws RefundError("invalid_request") naming the missing or bad option.
 */
export function createLevelUpClient(options: LevelUpClientOptions): LevelUpClient {
  const { baseUrl, fetch } = connect(options);
  return createClient<paths>(
    clientOptions(PROVIDER, baseUrl, fetch, defaultPathSerializer, ACCEPT_JSON),
  );
}

/**
 * `createLevelUpClient`'s GET and POST, with the same config, checks, auth and transport, sent
 * through core's JSON sender instead of openapi-fetch (see `LevelUpCaller`). For the facade.
 */
export function createLevelUpCaller(options: LevelUpClientOptions): LevelUpCaller {
  const { baseUrl, fetch } = connect(options);
  return createJsonClient(PROVIDER, baseUrl, fetch, ACCEPT_JSON) as LevelUpCaller;
}

/** The checked config made into a base URL and an authenticated fetch. */
function connect(options: LevelUpClientOptions): {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
} {
  assertClientOptions(PROVIDER, options);
  // With or without /v14 (the spec's apiVersion, generated), a baseUrl ends up as the servers are.
  const baseUrl = resolveBaseUrl(PROVIDER, options, servers, apiVersion);
  const token = requireSecret(PROVIDER, "token", options.token, "the merchant access token");
  assertHeaderSafe(PROVIDER, "token", token);
  const transport = providerTransport(PROVIDER, options, {
    // LevelUp has no idempotency handle: a request that may have reached LevelUp is never sent
    // again. Core still retries a request that provably never left (connection refused...).
    // A read (the merchant order lookup) changes nothing and is safe to send again (RFC 9110
    // §9.2.1, https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1).
    isIdempotent: (request) => request.method === "GET",
  });
  const fetch = createAuthFetch({
    fetch: transport,
    authorize: async () => `token ${token.reveal()}`,
  });
  return { baseUrl, fetch };
}
