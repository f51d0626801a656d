/**
 * What the mock's handlers read of a request, and the request the HTTP server hands them.
 *
 * The provider rules (./providers, ./lookups) read a request's method, URL, a few header fields,
 * its body as text and, for a `hang` fault, its abort signal: `MockRequest`, a part of the fetch
 * `Request` interface. In msw mode (`setupServer`, `setupWorker`) they get msw's own `Request`;
 * over HTTP they get a `ServerRequest`, which serves that part from what node:http already parsed
 * (the raw header list, the body's bytes) without building an undici `Request` (a header list
 * converted field by field, an `AbortController`, a URL parse): that construction was the largest
 * single cost of a refund answered over HTTP. The same handler functions answer in both modes.
 */
import { IncomingRequest } from "./incoming-request.js";

/** The part of a fetch `Request` the mock's handlers use; a `Request` is one. */
export interface MockRequest {
  /** Upper case as sent (`POST`). */
  readonly method: string;
  /** The absolute URL (`http://127.0.0.1:<port>/sezzle/v2/order/<id>/refund`). */
  readonly url: string;
  /** Header fields by name, case-insensitive; repeated fields joined with ", " (as `Headers`). */
  readonly headers: { get(name: string): string | null };
  /** Aborts when the client goes away before the answer is sent. */
  readonly signal: AbortSignal;
  /** The body as UTF-8 text (a byte order mark dropped); "" without a body. Read once. */
  text(): Promise<string>;
}

const decoder = new TextDecoder();

/** `Headers.get` over node:http's raw header list (`[name, value, name, value, ...]`). */
class RawHeaders {
  readonly #raw: readonly string[];
  #byName: Map<string, string> | undefined;

  constructor(raw: readonly string[]) {
    this.#raw = raw;
  }

  get(name: string): string | null {
    if (this.#byName === undefined) {
      const byName = new Map<string, string>();
      const raw = this.#raw;
      for (let index = 0; index + 1 < raw.length; index += 2) {
        const key = (raw[index] as string).toLowerCase();
        const value = raw[index + 1] as string;
        const seen = byName.get(key);
        byName.set(key, seen === undefined ? value : `${seen}, ${value}`);
      }
      this.#byName = byName;
    }
    return this.#byName.get(name.toLowerCase()) ?? null;
  }
}

/**
 * A request read by the mock's HTTP server: a `MockRequest` served from node:http's raw headers
 * and the body's bytes. `toRequest()` gives a full fetch `Request` (for handlers that are not the
 * mock's own) with the same URL, method, header fields and body, aborted with this one.
 */
export class ServerRequest implements MockRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: RawHeaders;
  readonly #rawHeaders: readonly string[];
  readonly #bytes: Uint8Array | undefined;
  #used = false;
  #controller: AbortController | undefined;
  #aborted = false;
  #request: IncomingRequest | undefined;
  /** Called once, when a handler first asks for the signal (the server then watches the client). */
  readonly #onSignal: (() => void) | undefined;

  constructor(
    url: string,
    method: string,
    rawHeaders: readonly string[],
    bytes: Uint8Array | undefined,
    onSignal?: () => void,
  ) {
    this.url = url;
    this.method = method;
    this.#rawHeaders = rawHeaders;
    this.headers = new RawHeaders(rawHeaders);
    this.#bytes = bytes === undefined || bytes.length === 0 ? undefined : bytes;
    this.#onSignal = onSignal;
  }

  /** Whether the body was read (as a `Request`'s `bodyUsed`). */
  get bodyUsed(): boolean {
    return this.#used;
  }

  text(): Promise<string> {
    if (this.#used) return Promise.reject(new TypeError("Body is unusable: already read"));
    this.#used = true;
    // TextDecoder drops a leading byte order mark, as the Fetch standard's `text()` does.
    return Promise.resolve(this.#bytes === undefined ? "" : decoder.decode(this.#bytes));
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
      else this.#onSignal?.();
    }
    return this.#controller.signal;
  }

  /** The client went away (or the server is closing): the signal aborts. */
  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
    this.#request?.abort();
  }

  /** This request as a fetch `Request` (built once); its body is this one's bytes, unread. */
  toRequest(): Request {
    if (this.#request === undefined) {
      this.#request = new IncomingRequest(
        new URL(this.url),
        this.method,
        this.#rawHeaders,
        this.#bytes,
      );
      if (this.#aborted) this.#request.abort();
      else this.#onSignal?.();
    }
    return this.#request;
  }
}
