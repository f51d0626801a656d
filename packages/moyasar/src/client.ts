import {
  apiVersionOf,
  assertClientOptions,
  assertHeaderSafe,
  clientOptions,
  createAuthFetch,
  type Environment,
  isInProgressResponse,
  jsonBodyHandle,
  providerTransport,
  requireSecret,
  resolveBaseUrl,
  type Secret,
  type TransportOptions,
} from "@refundkit/core/internal";
import createClient, { type Client, defaultPathSerializer } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { operations, servers } from "./generated/spec.js";

/** MPG credentials and host. Either `environment` or `baseUrl` is required. */
export interface MoyasarConfig {
  /**
   * Production `https://pg.moyasar.com`, sandbox `https://pg.mysr.dev` (from the spec's servers;
   * https://mpg-acquirer-docs.moyasar.com/api/acquirer-api, Base URLs).
   */
  environment?: Environment;
  /** Overrides the environment's host (a proxy, the mock server). */
  baseUrl?: string;
  /** API key, sent as `Authorization: Bearer <apiKey>` (unconfirmed for merchant keys). */
  apiKey: string | Secret;
}

/** `createMoyasarClient` options: the config plus the transport (fetch, timeout, retries). */
export interface MoyasarClientOptions extends MoyasarConfig, TransportOptions {}

/** A typed openapi-fetch client for the MPG v1 API. */
export type MoyasarClient = Client<paths>;

const PROVIDER = "moyasar";
/** With or without the API version segment, a `baseUrl` ends up as the spec's servers are. */
const API_VERSION = /* @__PURE__ */ apiVersionOf(
  servers,
  Object.values(operations).map((operation) => operation.path),
);

function transport(options: TransportOptions): typeof globalThis.fetch {
  return providerTransport(PROVIDER, options, {
    // Only a request naming its transaction_id (a non-empty string in its JSON body, the handle
    // the adapter reads too) can be sent again without refunding twice.
    isIdempotent: (_request, body) => jsonBodyHandle(body, "transaction_id") !== null,
    // The first attempt is still being processed (MPG's 400 "Initial request is still
    // processing."): waiting and asking again with the same transaction_id gets its answer
    // instead of an in_progress error. Core's one "in progress" rule, as for Sezzle and Optty.
    isRetryableResponse: isInProgressResponse,
  });
}
/** Every request asks for JSON. */
const ACCEPT_JSON = { Accept: "application/json" };

/**
 * A typed openapi-fetch client for MPG with `Authorization: Bearer <apiKey>`, a per-attempt
 * timeout, and retries only of requests whose body carries a `transaction_id`.
 *
 * @see https://mpg-acquirer-docs.moyasar.com/api/acquirer-api (hosts, minor units, errors)
 * @see https://mpg-acquirer-docs.moyasar.com/api/orders/orders-api (orders, Bearer keys)
 * @throws RefundError("invalid_request") naming the missing or bad option.
 */
export function createMoyasarClient(options: MoyasarClientOptions): MoyasarClient {
  assertClientOptions(PROVIDER, options);
  const baseUrl = resolveBaseUrl(PROVIDER, options, servers, API_VERSION);
  const apiKey = requireSecret(PROVIDER, "apiKey", options.apiKey);
  assertHeaderSafe(PROVIDER, "apiKey", apiKey);
  const fetch = createAuthFetch({
    fetch: transport(options),
    authorize: async () => `Bearer ${apiKey.reveal()}`,
  });
  return createClient<paths>(
    clientOptions(PROVIDER, baseUrl, fetch, defaultPathSerializer, ACCEPT_JSON),
  );
}
