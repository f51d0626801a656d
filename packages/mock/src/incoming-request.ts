import { bytesBodyForClone, mixinBytesBody, setBytesBody } from "@refundkit/core/internal";

/**
 * The fetch `Request` of an HTTP request (`ServerRequest.toRequest()`, ./request.ts), for a
 * handler that is not the mock's own (those read a `MockRequest`): the body is the bytes already
 * read from the socket, served by `text()`, `json()`, `arrayBuffer()` and `clone()` without a
 * stream round trip (core's `mixinBytesBody`; `body`, a stream of them, is built only when read);
 * the signal is made only when a handler asks for it. Headers, method and URL are a plain
 * Request's.
 */
export class IncomingRequest extends Request {
  #controller: AbortController | undefined;
  #aborted = false;

  constructor(
    url: URL,
    method: string,
    rawHeaders: readonly string[],
    bytes: Uint8Array | undefined,
  ) {
    const headers: [string, string][] = [];
    for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
      headers.push([rawHeaders[index] as string, rawHeaders[index + 1] as string]);
    }
    super(url, { method, headers });
    setBytesBody(this, bytes === undefined || bytes.length === 0 ? null : bytes);
  }

  /** The client went away (or the server is closing): the signal aborts. */
  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }

  override get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  override clone(): Request {
    const bytes = bytesBodyForClone(this);
    const copy = new IncomingRequest(
      new URL(this.url),
      this.method,
      [...this.headers].flat(),
      bytes ?? undefined,
    );
    if (this.#aborted) copy.abort();
    return copy;
  }
}
mixinBytesBody(IncomingRequest.prototype);
