/**
 * The `Request` that refundkit's clients hand to openapi-fetch (its `Request` option,
 * https://openapi-ts.dev/openapi-fetch/api#createclient). openapi-fetch builds one per call; the
 * transport then sends it without building another:
 *
 * - the body is kept as openapi-fetch serialised it (a JSON or form string), so every attempt and
 *   a 401 re-send use those same bytes. It is not turned into a stream: undici would build a
 *   ReadableStream for it that nobody reads (the transport sends the kept bytes, and `fetch`
 *   builds its own request from them). Reading the request (`text()`, `json()`, `body`,
 *   `clone()`...) serves those bytes, so middleware sees the same body as the provider;
 * - the caller's `signal` is kept beside the request instead of inside it. A `Request` built with a
 *   signal adds an abort listener to it that is removed only when the request is garbage
 *   collected (undici's finalizer), so a long-lived caller signal (a server's shutdown signal)
 *   would collect one listener per refund. The transport listens to it once per call and removes
 *   its listener when the call settles.
 *
 * It is a `Request` otherwise (`instanceof Request`, so openapi-fetch middleware works).
 */
const BODY = Symbol("refundkit.body");
const SIGNAL = Symbol("refundkit.signal");

type Bytes = Uint8Array<ArrayBuffer>;

interface Kept {
  [BODY]?: string | Bytes | null;
  [SIGNAL]?: AbortSignal | null;
}

/** What an `OutgoingRequest` keeps: the body as serialised and the caller's signal. */
export interface OutgoingParts {
  body: string | Bytes | null;
  signal: AbortSignal | undefined;
}

/**
 * A Request whose body is the kept string or bytes, never a stream until someone reads it: built
 * without a body (so undici makes no stream); a read (`text()`, `json()`, `body`, `clone()`...)
 * goes to the same request with its body, built on first use.
 */
class KeptBodyRequest extends Request {
  #withBody: Request | undefined;

  constructor(input: RequestInfo | URL, init: RequestInit, body: string | Bytes) {
    super(input, init);
    (this as Kept)[BODY] = body;
    // What undici sets for a string body when the caller set no Content-Type (Fetch standard,
    // "extract a body": https://fetch.spec.whatwg.org/#concept-bodyinit-extract).
    if (typeof body === "string" && !this.headers.has("content-type")) {
      this.headers.set("content-type", "text/plain;charset=UTF-8");
    }
  }

  /** This request with its body, for reads. */
  withBody(): Request {
    this.#withBody ??= new Request(this, { body: (this as Kept)[BODY] ?? null });
    return this.#withBody;
  }
  override get body(): ReadableStream<Bytes> | null {
    return this.withBody().body as ReadableStream<Bytes> | null;
  }
  override get bodyUsed(): boolean {
    return this.#withBody?.bodyUsed ?? false;
  }
  override clone(): Request {
    return this.withBody().clone();
  }
  override text(): Promise<string> {
    return this.withBody().text();
  }
  override json(): Promise<unknown> {
    return this.withBody().json();
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.withBody().arrayBuffer();
  }
  override bytes(): Promise<Bytes> {
    return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }
  override blob(): Promise<Blob> {
    return this.withBody().blob();
  }
  override formData(): Promise<FormData> {
    return this.withBody().formData();
  }
}

/** Pass as `createClient({ Request: OutgoingRequest, ... })`. Constructs a `Request`. */
export const OutgoingRequest = function OutgoingRequest(
  input: RequestInfo | URL,
  init?: RequestInit,
): Request {
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
  const { signal: callerSignal, body: _body, ...rest } = init ?? {};
  const method = (rest.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const request: Request & Kept =
    kept === null
      ? new Request(input, rest)
      : method === "GET" || method === "HEAD"
        ? // undici refuses a body on these: let it say so.
          new Request(input, { ...rest, body: kept })
        : new KeptBodyRequest(input, rest, kept);
  request[BODY] = kept;
  request[SIGNAL] = callerSignal ?? null;
  return request;
} as unknown as typeof Request;
// `new OutgoingRequest()` returns a Request; `x instanceof OutgoingRequest` (openapi-fetch
// checks a middleware's result that way) holds for every Request.
OutgoingRequest.prototype = Request.prototype;

/**
 * The request of refundkit's own calls (a refund, a lookup: `CallInit` passes it as openapi-fetch's
 * per-call `Request` option). Those clients never leave `connect`, so no middleware ever sees it;
 * and core's node:http fetch sends it as it is: no undici `Request` is built (its URL parse,
 * Headers copy and AbortController cost more than the rest of the call's own work). It holds
 * the URL, the method, openapi-fetch's `Headers` (its own, not a copy) and the kept body and
 * signal; every other `Request` member is served by an `OutgoingRequest` built from it on first
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
    // Only what openapi-fetch builds for refundkit's calls (a JSON or form string, no body):
    // anything else is an OutgoingRequest, which reads it the way fetch does.
    if (typeof body !== "string" && body !== null) {
      // biome-ignore lint/correctness/noConstructorReturn: a Request where the lean form does not apply
      return new OutgoingRequest(url, init) as unknown as LeanRequest;
    }
    if (typeof body === "string" && !this.headers.has("content-type")) {
      this.headers.set("content-type", "text/plain;charset=UTF-8");
    }
    (this as Kept)[BODY] = body;
    (this as Kept)[SIGNAL] = init.signal ?? null;
  }

  /** A real Request with this request's URL, method, current headers and body. */
  toRequest(): Request {
    return new OutgoingRequest(this.url, { ...this.#init, headers: this.headers });
  }

  /** The real Request the other members read (built once). */
  real(): Request {
    this.#real ??= this.toRequest();
    return this.#real;
  }
}
Object.setPrototypeOf(LeanRequest.prototype, Request.prototype);
// Every other Request member (signal, body, text(), clone(), redirect...), from the real request.
for (const [name, { get, value }] of Object.entries(
  Object.getOwnPropertyDescriptors(Request.prototype),
)) {
  if (name === "constructor" || name === "url" || name === "method" || name === "headers") continue;
  Object.defineProperty(
    LeanRequest.prototype,
    name,
    get
      ? {
          get: function (this: LeanRequest) {
            return get.call(this.real());
          },
        }
      : {
          value: function (this: LeanRequest, ...args: unknown[]) {
            return (value as (...a: unknown[]) => unknown).apply(this.real(), args);
          },
        },
  );
}

/** The kept body and signal of a request built by `OutgoingRequest`; undefined for any other. */
export function outgoingParts(request: Request): OutgoingParts | undefined {
  const parts = request as Request & Kept;
  const body = parts[BODY];
  if (body === undefined) return undefined;
  return { body, signal: parts[SIGNAL] ?? undefined };
}
