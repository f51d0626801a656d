/**
 * The `Request` that refundkit's clients hand to openapi-fetch (its `Request` option,
 * https://openapi-ts.dev/openapi-fetch/api#createclient). openapi-fetch builds one per call; the
 * transport then sends it without building another:
 *
 * - the body is kept as openapi-fetch serialised it (a JSON or form string), so every attempt and
 *   a 401 re-send use those same bytes without reading the request's stream;
 * - the caller's `signal` is kept beside the request instead of inside it. A `Request` built with a
 *   signal adds an abort listener to it that is removed only when the request is garbage
 *   collected (undici's finalizer), so a long-lived caller signal (a server's shutdown signal)
 *   would collect one listener per refund. The transport listens to it once per call and removes
 *   its listener when the call settles.
 *
 * It is a plain `Request` otherwise (`instanceof Request`, so openapi-fetch middleware works).
 */
const BODY = Symbol("refundkit.body");
const SIGNAL = Symbol("refundkit.signal");

interface Kept {
  [BODY]?: string | Uint8Array<ArrayBuffer> | null;
  [SIGNAL]?: AbortSignal | null;
}

/** What an `OutgoingRequest` keeps: the body as serialised and the caller's signal. */
export interface OutgoingParts {
  body: string | Uint8Array<ArrayBuffer> | null;
  signal: AbortSignal | undefined;
}

/** Pass as `createClient({ Request: OutgoingRequest, ... })`. Constructs a plain `Request`. */
export const OutgoingRequest = function OutgoingRequest(
  input: RequestInfo | URL,
  init?: RequestInit,
): Request {
  const body = init?.body;
  const kept: string | Uint8Array<ArrayBuffer> | null | undefined =
    body === undefined || body === null
      ? null
      : typeof body === "string" ||
          (body instanceof Uint8Array && body.buffer instanceof ArrayBuffer)
        ? (body as string | Uint8Array<ArrayBuffer>)
        : undefined; // FormData, streams...: the transport reads them from the request once
  // A body we cannot keep as is: a plain Request, which the transport reads once.
  if (kept === undefined) return new Request(input, init);
  let request: Request;
  if (init?.signal == null) {
    request = new Request(input, init);
  } else {
    const { signal: _callerSignal, ...rest } = init;
    request = new Request(input, rest);
  }
  const parts = request as Request & Kept;
  parts[BODY] = kept;
  parts[SIGNAL] = init?.signal ?? null;
  return request;
} as unknown as typeof Request;
// `new OutgoingRequest()` returns a plain Request; `x instanceof OutgoingRequest` (openapi-fetch
// checks a middleware's result that way) holds for every Request.
OutgoingRequest.prototype = Request.prototype;

/** The kept body and signal of a request built by `OutgoingRequest`; undefined for any other. */
export function outgoingParts(request: Request): OutgoingParts | undefined {
  const parts = request as Request & Kept;
  const body = parts[BODY];
  if (body === undefined) return undefined;
  return { body, signal: parts[SIGNAL] ?? undefined };
}
