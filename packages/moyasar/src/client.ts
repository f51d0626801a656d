import {
  assertClientOptions,
  assertHeaderSafe,
  clientOptions,
  createAuthFetch,
  createJsonClient,
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
import { apiVersion, servers } from "./generated/spec.js";

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

/**
 * The calls the adapter makes: a `MoyasarClient`'s GET and POST. `createMoyasarClient`
 * gives the openapi-fetch client; `createMoyasarCaller` the same calls through core's small JSON
 * sender, which the `refundkit` facade uses so that its bundle does not carry openapi-fetch.
 */
export type MoyasarCaller = Pick<MoyasarClient, "GET" | "POST">;

const PROVIDER = "moyasar";

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
  const { baseUrl, fetch } = connect(options);
  return createClient<paths>(
    clientOptions(PROVIDER, baseUrl, fetch, defaultPathSerializer, ACCEPT_JSON),
  );
}

/**
 * `createMoyasarClient`'s GET and POST, with the same config, checks, auth and transport, sent
 * through core's JSON sender instead of openapi-fetch (see `MoyasarCaller`). For the facade.
 */
export function createMoyasarCaller(options: MoyasarClientOptions): MoyasarCaller {
  const { baseUrl, fetch } = connect(options);
  return createJsonClient(PROVIDER, baseUrl, fetch, ACCEPT_JSON) as MoyasarCaller;
}

/** The checked config made into a base URL and an authenticated fetch. */
function connect(options: MoyasarClientOptions): {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
} {
  assertClientOptions(PROVIDER, options);
  // With or without /v1 (the spec's apiVersion, generated), a baseUrl ends up as the servers are.
  const baseUrl = resolveBaseUrl(PROVIDER, options, servers, apiVersion);
  const apiKey = requireSecret(PROVIDER, "apiKey", options.apiKey);
  assertHeaderSafe(PROVIDER, "apiKey", apiKey);
  const fetch = createAuthFetch({
    fetch: transport(options),
    authorize: async () => `Bearer ${apiKey.reveal()}`,
  });
  return { baseUrl, fetch };
}
