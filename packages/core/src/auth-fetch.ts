import { discard, raceAbort } from "./abort.js";
import { outgoingParts } from "./outgoing-request.js";
import type { Secret } from "./redact.js";
import type { TokenCache } from "./token-cache.js";

/** Options of `createAuthFetch`: the fetch to send with and how to authorise each request. */
export interface AuthFetchOptions {
  /** The fetch that sends the request, typically `createResilientFetch(...)`. */
  fetch: typeof globalThis.fetch;
  /**
   * The `Authorization` header value for the next request, e.g. `Bearer ${token}`. Return it
   * synchronously when it is at hand (a cached token): no promise is made per request then.
   */
  authorize: () => string | Promise<string>;
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
 *
 * The header is set on the request only while it is being sent: a request from refundkit's
 * clients (`OutgoingRequest`) is passed on as is (no Request or Headers is built here); any other
 * input becomes one Request, its body read once when it may be sent twice.
 */
export function createAuthFetch(options: AuthFetchOptions): typeof globalThis.fetch {
  return async function authFetch(input, init) {
    const parts = input instanceof Request && init === undefined ? outgoingParts(input) : undefined;
    // Anything but an OutgoingRequest becomes one Request of our own.
    const request = parts ? (input as Request) : new Request(input, init);
    const signal = parts ? parts.signal : request.signal;
    // The body sent on every send: the kept one; else the bytes, read once, when a 401 may send
    // it twice; else (undefined or null) the request's own.
    const body = parts
      ? parts.body
      : options.onUnauthorized && request.body && new Uint8Array(await request.arrayBuffer());
    const send = async (headerValue: string): Promise<Response> => {
      // Set on the request for the send (the fetch reads it when called, and again on each retry)
      // and taken off once the answer is in, so the request openapi-fetch hands to middleware
      // afterwards never carries the credential. The kept body, not the request's stream, is
      // sent, so the same bytes can go again after a 401.
      const previous = request.headers.get("authorization");
      request.headers.set("authorization", headerValue);
      try {
        return await options.fetch(request, body == null ? undefined : { body });
      } finally {
        if (previous === null) request.headers.delete("authorization");
        else request.headers.set("authorization", previous);
      }
    };

    // The caller's abort wins over a credential still being fetched; the fetch itself goes on,
    // since a token request is shared by concurrent calls.
    const authorize = (): string | Promise<string> => {
      const value = options.authorize();
      if (typeof value === "string") return value;
      return signal === undefined ? value : raceAbort(value, signal);
    };
    const first = authorize();
    const headerValue = typeof first === "string" ? first : await first;
    const response = await send(headerValue);
    if (response.status !== 401 || options.onUnauthorized === undefined) return response;

    options.onUnauthorized(headerValue);
    const fresh = authorize();
    const freshValue = typeof fresh === "string" ? fresh : await fresh;
    // The same credential would be refused the same way: keep the first answer.
    if (freshValue === headerValue) return response;
    // Not awaited: some bodies (msw's) settle their cancel only once fully torn down.
    discard(response);
    return send(freshValue);
  };
}

/**
 * `createAuthFetch` with `Authorization: Bearer <token>`: a fixed token (a Secret, sent as is and
 * never refreshed), or the tokens of `cache` (`createTokenCache`: fetched when needed, kept until
 * they expire, and refetched once when a request is answered 401).
 */
export function createBearerFetch(
  fetch: typeof globalThis.fetch,
  source: Secret | TokenCache,
): typeof globalThis.fetch {
  if (!("peek" in source)) {
    const header = `Bearer ${source.reveal()}`;
    return createAuthFetch({ fetch, authorize: () => header });
  }
  const cache = source;
  // The header of the current token, built once per token rather than once per request.
  let headerToken: string | undefined;
  let header = "";
  const headerFor = (token: string) => {
    if (token !== headerToken) {
      headerToken = token;
      header = `Bearer ${token}`;
    }
    return header;
  };
  return createAuthFetch({
    fetch,
    authorize: () => {
      const token = cache.peek();
      return token === undefined ? cache.get().then(headerFor) : headerFor(token);
    },
    onUnauthorized: (headerValue) => cache.invalidate(headerValue.replace(/^Bearer /, "")),
  });
}
