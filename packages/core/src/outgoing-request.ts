/**
 * The `Request` that refundkit's clients hand to openapi-fetch (its `Request` option,
 * https://openapi-ts.dev/openapi-fetch/api#createclient), for calls made on a client directly
 * (refundkit's own refunds and lookups send a `LeanRequest`, below). openapi-fetch builds one per
 * call; the transport then sends it without building another:
 *
 * - the body is also kept as openapi-fetch serialised it (a JSON or form string), so every
 *   attempt and a 401 re-send send those same bytes; the request's own body (what middleware
 *   reads) is never read by the transport;
 * - the caller's `signal` is kept beside the request instead of inside it. A `Request` built with a
 *   signal adds an abort listener to it that is removed only when the request is garbage
 *   collected (undici's finalizer), so a long-lived caller signal (a server's shutdown signal)
 *   would collect one listener per refund. The transport listens to it once per call and removes
 *   its listener when the call settles.
 *
 * It is a `Request` otherwise (`instanceof Request`, so openapi-fetch middleware works).
 */
const KEPT = Symbol("refundkit.kept");

type Bytes = Uint8Array<ArrayBuffer>;

interface Kept {
  [KEPT]?: OutgoingParts;
}

/** What an `OutgoingRequest` keeps: the body as serialised and the caller's signal. */
export interface OutgoingParts {
  body: string | Bytes | null;
  signal: AbortSignal | undefined;
}

/**
 * Pass as `createClient({ Request: OutgoingRequest, ... })`. Constructs a `Request`.
 * `new OutgoingRequest()` returns a Request; `x instanceof OutgoingRequest` (openapi-fetch checks
 * a middleware's result that way) holds for every Request. Made by a pure call, so that a bundle
 * that never names it (the facade's) drops it.
 */
export const OutgoingRequest: typeof Request = /* @__PURE__ */ (() => {
  function OutgoingRequest(input: RequestInfo | URL, init?: RequestInit): Request {
    const body = init?.body;
    const kept: string | Bytes | null | undefined =
      body === undefined || body === null
        ? null
        : typeof body === "string" ||
            (body instanceof Uint8Array && body.buffer instanceof ArrayBuffer)
          ? (body as string | Bytes)
          : undefined; // FormData, streams...: the transport reads them from the request once
    // A body we cannot keep as is: a plain Request, which the transport reads once.
    if (kept === undefined) return new Request(input, init);
    const request: Request & Kept = new Request(input, { ...init, signal: null });
    request[KEPT] = { body: kept, signal: init?.signal ?? undefined };
    return request;
  }
  OutgoingRequest.prototype = Request.prototype;
  return OutgoingRequest as unknown as typeof Request;
})();

/**
 * The request of refundkit's own calls (a refund, a lookup: `CallInit` passes it as openapi-fetch's
 * per-call `Request` option). Those clients never leave `connect`, so no middleware ever sees it;
 * and core's node:http fetch sends it as it is: no undici `Request` is built (its URL parse,
 * Headers copy and AbortController cost more than the rest of the call's own work). It holds
 * the URL, the method, openapi-fetch's `Headers` (its own, not a copy) and the kept body and
 * signal; every other `Request` member is served by a real `Request` built from it on first
 * use, and `toRequest` builds one for any other fetch (the user's, msw's, Node's own), so those
 * still get a real `Request`. `instanceof Request` holds.
 */
export class LeanRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly #init: RequestInit;
  #real: Request | undefined;

  constructor(url: string, init: RequestInit & { headers: Headers }) {
    const body = init.body ?? null;
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers;
    this.#init = init;
    // Only what refundkit's calls build (a JSON or form string, or no body): anything else is a
    // plain Request, which the transport reads once, the way fetch does.
    if (typeof body !== "string" && body !== null) {
      // biome-ignore lint/correctness/noConstructorReturn: a Request where the lean form does not apply
      return new Request(url, init) as unknown as LeanRequest;
    }
    (this as Kept)[KEPT] = { body, signal: init.signal ?? undefined };
  }

  /**
   * A real Request with this request's URL, method and current headers, and no signal. Without a
   * body (`body` null) for a fetch other than core's node:http one: the transport passes the kept
   * body as `init.body`, which replaces the request's, as with any fetch; no stream is built for it.
   */
  toRequest(body: BodyInit | null = null): Request {
    return new Request(this.url, { ...this.#init, headers: this.headers, signal: null, body });
  }

  /** The real Request (with its body) the other members read, built once. */
  real(): Request {
    this.#real ??= this.toRequest(this.#init.body);
    return this.#real;
  }
}
Object.setPrototypeOf(LeanRequest.prototype, Request.prototype);
// Every other Request member (signal, body, text(), clone(), redirect...): the Request's own
// getter or method, called on the real request. `url`, `method` and `headers` are the instance's
// own fields, which win over these; `constructor`, `toRequest` and `real` stay LeanRequest's.
for (const [name, { get, value }] of Object.entries(
  Object.getOwnPropertyDescriptors(Request.prototype),
)) {
  if (Object.hasOwn(LeanRequest.prototype, name)) continue;
  Object.defineProperty(
    LeanRequest.prototype,
    name,
    get
      ? {
          get(this: LeanRequest) {
            return get.call(this.real());
          },
        }
      : {
          value(this: LeanRequest, ...args: unknown[]) {
            return (value as (...a: unknown[]) => unknown).apply(this.real(), args);
          },
        },
  );
}

/** The kept body and signal of a request built by `OutgoingRequest` or `LeanRequest` (one object, made with the request, read by the auth layer and the transport); undefined for any other. */
export function outgoingParts(request: Request): OutgoingParts | undefined {
  return (request as Request & Kept)[KEPT];
}
