import {
  assertHeaderSafe,
  configError,
  createAuthFetch,
  createResilientFetch,
  type Environment,
  requireSecret,
  resolveBaseUrl,
  type Secret,
  type TransportOptions,
} from "@refundkit/core";
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { servers } from "./generated/spec.js";

/** MPG credentials and host. Either `environment` or `baseUrl` is required. */
export interface MoyasarConfig {
  /** Production `https://pg.moyasar.com`, sandbox `https://pg.mysr.dev` (from the spec's servers). */
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
 * Internal marker between two of our own fetch layers; deleted before the request leaves.
 * See `markIdempotent`.
 */
const IDEMPOTENT_MARKER = "x-refundkit-idempotent";

const PROVIDER = "moyasar";

/** Whether a JSON body names a non-empty `transaction_id`: MPG's (unconfirmed) idempotency handle. */
function carriesTransactionId(bytes: Uint8Array): boolean {
  try {
    const body: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return (
      body !== null &&
      typeof body === "object" &&
      "transaction_id" in body &&
      typeof body.transaction_id === "string" &&
      body.transaction_id !== ""
    );
  } catch {
    return false;
  }
}

/**
 * Retry safety. Core's `isIdempotent(request)` is synchronous, so it cannot read the body where
 * MPG's handle (`transaction_id`) lives. This layer, in front of the resilient fetch, reads the
 * body once (it is small JSON) and marks the request with an internal header when it carries a
 * `transaction_id`; `isIdempotent` checks the marker, and `unmark` (behind the resilient fetch)
 * deletes it, so MPG never sees it. Any caller-supplied header of that name is dropped too.
 * This holds for the client used alone as well: only requests with a transaction_id are retried.
 */
function markIdempotent(next: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    const headers = headerEntries(request);
    if (body !== null && carriesTransactionId(body)) headers.push([IDEMPOTENT_MARKER, "1"]);
    return next(rebuild(request, headers, body));
  };
}

function unmark(options: TransportOptions): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    // Looked up at each call, like core does, so msw and late-patched fetches work.
    const fetchImpl = options.fetch ?? globalThis.fetch;
    return fetchImpl(rebuild(request, headerEntries(request), body));
  };
}

/** The request's headers without the marker, as plain pairs. */
function headerEntries(request: Request): [string, string][] {
  return [...request.headers].filter(([name]) => name !== IDEMPOTENT_MARKER);
}

/**
 * A copy of `request` with exactly `headers`. Built from the URL and plain pairs rather than
 * `new Request(request, { headers: new Headers(...) })`: msw's interceptors patch `Headers` and
 * `Request` and, on that path, drop or duplicate header values (seen with msw 2.15).
 */
function rebuild(
  request: Request,
  headers: [string, string][],
  body: Uint8Array<ArrayBuffer> | null,
): Request {
  return new Request(request.url, {
    method: request.method,
    headers,
    body,
    signal: request.signal,
    redirect: request.redirect,
  });
}

function transport(options: TransportOptions): typeof globalThis.fetch {
  return markIdempotent(
    createResilientFetch({
      provider: PROVIDER,
      fetch: unmark(options),
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      isIdempotent: (request) => request.headers.get(IDEMPOTENT_MARKER) === "1",
    }),
  );
}

/**
 * A typed openapi-fetch client for MPG with `Authorization: Bearer <apiKey>`, a per-attempt
 * timeout, and retries only of requests whose body carries a `transaction_id`.
 *
 * @throws RefundError("invalid_request") naming the missing or bad option.
 */
export function createMoyasarClient(options: MoyasarClientOptions): MoyasarClient {
  if (options === null || typeof options !== "object") {
    throw configError(PROVIDER, "options must be an object");
  }
  const baseUrl = resolveBaseUrl(PROVIDER, options, servers);
  const apiKey = requireSecret(PROVIDER, "apiKey", options.apiKey);
  assertHeaderSafe(PROVIDER, "apiKey", apiKey);
  const fetch = createAuthFetch({
    fetch: transport(options),
    authorize: async () => `Bearer ${apiKey.reveal()}`,
  });
  return createClient<paths>({ baseUrl, fetch, headers: { Accept: "application/json" } });
}
