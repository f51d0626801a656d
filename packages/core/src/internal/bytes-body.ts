/**
 * A fetch body that is already in memory (bytes read off a socket), for a `Request` or `Response`
 * subclass built without a body: `text()`, `json()`, `arrayBuffer()`, `bytes()`, `blob()` and
 * `formData()` are served from the bytes with no stream round trip, and `body` (a stream of them)
 * is built only when someone asks for it. As with any fetch body it is read at most once. The
 * refundkit mock's HTTP server hands its handlers such a request, and the CLI's keep-alive fetch
 * answers with such a response.
 *
 * The methods are installed on the subclass's prototype by `mixinBytesBody`, the way undici's own
 * `mixinBody` gives `Request` and `Response` theirs (the Fetch standard's Body mixin,
 * https://fetch.spec.whatwg.org/#body-mixin).
 */
const BODY = Symbol("refundkit.bytesBody");

type Bytes = Uint8Array<ArrayBuffer>;

interface Holder {
  [BODY]?: BytesBody;
  readonly headers: Headers;
}

const decoder = new TextDecoder();

/** The bytes of one body and whether they were read. */
class BytesBody {
  readonly #bytes: Uint8Array | null;
  #used = false;
  #stream: ReadableStream<Bytes> | null | undefined;

  constructor(bytes: Uint8Array | null) {
    this.#bytes = bytes;
  }

  get bytes(): Uint8Array | null {
    return this.#bytes;
  }

  get used(): boolean {
    return this.#used;
  }

  stream(): ReadableStream<Bytes> | null {
    if (this.#stream === undefined) {
      const bytes = this.#bytes;
      this.#stream =
        bytes === null
          ? null
          : new ReadableStream<Bytes>(
              {
                pull: (controller) => {
                  if (!this.#used) {
                    this.#used = true;
                    if (bytes.byteLength > 0) controller.enqueue(new Uint8Array(bytes));
                  }
                  controller.close();
                },
              },
              // Nothing is pulled until someone reads: taking `body` does not use the body.
              { highWaterMark: 0 },
            );
    }
    return this.#stream;
  }

  /** The bytes (empty when there is no body), not to be changed; rejects once the body was read. */
  take(): Promise<Uint8Array> {
    if (this.#used || this.#stream?.locked === true) {
      return Promise.reject(new TypeError("Body is unusable: already read"));
    }
    this.#used = true;
    return Promise.resolve(this.#bytes ?? new Uint8Array(0));
  }
}

function bodyOf(self: Holder): BytesBody {
  const body = self[BODY];
  if (body === undefined)
    throw new TypeError("no bytes body: call setBytesBody in the constructor");
  return body;
}

/** Gives `target` (an instance of a class passed to `mixinBytesBody`) these bytes as its body. */
export function setBytesBody(target: Request | Response, bytes: Uint8Array | null): void {
  (target as unknown as Holder)[BODY] = new BytesBody(bytes);
}

/** The bytes `setBytesBody` gave (null when none), for building a clone; throws once read. */
export function bytesBodyForClone(target: Request | Response): Uint8Array | null {
  const body = bodyOf(target as unknown as Holder);
  if (body.used) throw new TypeError("clone: the body has already been read");
  return body.bytes;
}

/**
 * Serves the body methods of `prototype` (a `Request` or `Response` subclass's) from the bytes
 * each instance is given with `setBytesBody`. Call once, after the class declaration.
 */
export function mixinBytesBody(prototype: Request | Response): void {
  const method = (read: (this: Holder, bytes: Uint8Array) => unknown) => ({
    configurable: true,
    writable: true,
    value(this: Holder) {
      return bodyOf(this)
        .take()
        .then((bytes) => read.call(this, bytes));
    },
  });
  Object.defineProperties(prototype, {
    body: {
      configurable: true,
      get(this: Holder) {
        return bodyOf(this).stream();
      },
    },
    bodyUsed: {
      configurable: true,
      get(this: Holder) {
        return bodyOf(this).used;
      },
    },
    // Copies: the caller may change what it gets; the bytes stay as they came.
    arrayBuffer: method((bytes) => new Uint8Array(bytes).buffer),
    bytes: method((bytes) => new Uint8Array(bytes)),
    text: method((bytes) => decoder.decode(bytes)),
    json: method((bytes) => JSON.parse(decoder.decode(bytes)) as unknown),
    blob: method(function (this: Holder, bytes) {
      return new Blob([new Uint8Array(bytes)], { type: this.headers.get("content-type") ?? "" });
    }),
    formData: method(function (this: Holder, bytes) {
      return new Response(new Uint8Array(bytes), { headers: this.headers }).formData();
    }),
  });
}
