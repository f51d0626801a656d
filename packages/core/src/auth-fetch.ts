import { raceAbort } from "./abort.js";
import type { Secret } from "./redact.js";
import { createTokenCache, type FetchedToken } from "./token-cache.js";

/** Options of `createAuthFetch`: the fetch to send with and how to authorise each request. */
export interface AuthFetchOptions {
  /** The fetch that sends the request, typically `createResilientFetch(...)`. */
  fetch: typeof globalThis.fetch;
  /** The `Authorization` header value for the next request, e.g. `Bearer ${await cache.get()}`. */
  authorize: () => Promise<string>;
  /**
   * Called with the header value a request was refused with (HTTP 401); when given, the request is
   * sent once more with a fresh `authorize()` value. Typically invalidates a cached token.
   */
  onUnauthorized?: (headerValue: string) => void;
}

/**
 * A fetch that sets `Authorization` on every request and, when `onUnauthorized` is given, answers
 * one 401 by refreshing the credential and sending the request again. A 401 means the provider
 * refused the request before acting on it, so the second send cannot refund twice.
 */
export function createAuthFetch(options: AuthFetchOptions): typeof globalThis.fetch {
  return async function authFetch(input, init) {
    const original = new Request(input, init);
    // Buffered only when it may be sent twice.
    const body =
      options.onUnauthorized !== undefined && original.body !== null
        ? new Uint8Array(await original.arrayBuffer())
        : original.body;
    const send = (headerValue: string) => {
      const headers = new Headers(original.headers);
      headers.set("authorization", headerValue);
      return options.fetch(
        new Request(original, {
          headers,
          body,
          ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
        }),
      );
    };

    // The caller's abort wins over a credential still being fetched; the fetch itself goes on,
    // since a token request is shared by concurrent calls.
    const authorize = () => raceAbort(options.authorize(), original.signal);
    const headerValue = await authorize();
    const response = await send(headerValue);
    if (response.status !== 401 || options.onUnauthorized === undefined) return response;

    options.onUnauthorized(headerValue);
    const freshValue = await authorize();
    // The same credential would be refused the same way: keep the first answer.
    if (freshValue === headerValue) return response;
    // Not awaited: some bodies (msw's) settle their cancel only once fully torn down.
    response.body?.cancel().catch(() => {});
    return send(freshValue);
  };
}

/**
 * `createAuthFetch` with `Authorization: Bearer <token>`: a fixed token (a Secret, sent as is and
 * never refreshed), or tokens from `fetchToken`, cached until they expire and refetched once when
 * a request is answered 401.
 */
export function createBearerFetch(
  fetch: typeof globalThis.fetch,
  source: Secret | (() => Promise<FetchedToken>),
  /** With a token source: a token obtained earlier, used until the provider refuses it. */
  initialToken?: Secret,
): typeof globalThis.fetch {
  if (typeof source !== "function") {
    const header = `Bearer ${source.reveal()}`;
    return createAuthFetch({ fetch, authorize: async () => header });
  }
  const cache = createTokenCache({
    fetchToken: source,
    ...(initialToken === undefined ? {} : { initialToken: initialToken.reveal() }),
  });
  return createAuthFetch({
    fetch,
    authorize: async () => `Bearer ${await cache.get()}`,
    onUnauthorized: (headerValue) => cache.invalidate(headerValue.replace(/^Bearer /, "")),
  });
}
