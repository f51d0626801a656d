/**
 * The `Response` the transport returns (and core's node:http transport answers with). Its body is
 * the attempt's response body, read once, on first use, under the attempt's deadline (so a stalled
 * body times out whatever `fetch` is used), after which the attempt's timer and listeners are
 * released: nothing of the call stays armed. `text()`, `json()`, `arrayBuffer()` and clones are
 * served from those bytes, with no stream round-trip; `body` is a stream of them, built when asked
 * for, known to `bodyOf`, which reads the bytes through this response. A body that could not be
 * read (the connection dropped, the attempt timed out, the caller aborted) rejects every read with
 * that failure, as the original response would have.
 */
/** UTF-8, as fetch decodes `text()`; shared with the transport (a request body's text). */
export const decoder = new TextDecoder();
const noop = () => {};

type Bytes = Uint8Array<ArrayBuffer>;

/**
 * Reads the original body; shared by a response and its clones, so it answers every call with
 * the same promise (the body is read once).
 */
export type BodyLoader = () => Promise<Bytes>;

/**
 * On an attempt stream handed out as `body`: the response that reads it (for `bodyOf`). A symbol
 * property set on the stream rather than a WeakMap entry: a store, where a WeakMap entry per
 * response costs about 0.4 us and weak-table work in every garbage collection. Symbol-keyed, so
 * it is in no `Object.keys`, JSON or stream inspection, and it dies with the stream.
 */
const OWNER = Symbol("refundkit.bufferedResponse");

interface OwnedStream {
  [OWNER]?: BufferedResponse;
}

/** The response whose `body` `stream` is, when the transport returned it. */
export function ownerOf(stream: ReadableStream): BufferedResponse | undefined {
  return (stream as ReadableStream & OwnedStream)[OWNER];
}

/**
 * A fetch that has this property (core's node:http fetch) reads `init[ATTEMPT]`, the attempt's
 * `Attempt` (abort.ts), instead of `init.signal`: it stops its request at the attempt's `onFail`,
 * so no AbortController is built per attempt.
 */
export const ATTEMPT = Symbol.for("refundkit.attempt");

/** What core's node:http fetch reads of an attempt (see ATTEMPT). */
export interface AttemptHook {
  readonly aborted: boolean;
  readonly reason: unknown;
  onFail: ((reason: unknown) => void) | undefined;
}

/**
 * What a BufferedResponse answers from besides its body: a `Response`, or the head of an answer
 * read without one (core's node:http transport), whose `body` is undefined when there is a body
 * (served from the loader) and null when there is none.
 */
export type ResponseHead = Pick<
  Response,
  "status" | "statusText" | "headers" | "url" | "redirected" | "type"
> & {
  readonly body: ReadableStream<Uint8Array> | null | undefined;
  /** Header `name` (lower case) as received, without a `Headers` (core's node:http fetch). */
  raw?: (name: string) => string | null;
};

/** Header `name` (lower case) of `response`: as received, when core's node:http fetch read it. */
export function headerOf(response: Response, name: string): string | null {
  const source = BufferedResponse.sourceOf(response);
  return source.raw === undefined ? source.headers.get(name) : source.raw(name);
}

export class BufferedResponse extends Response {
  readonly #source: ResponseHead;
  readonly #load: BodyLoader;
  readonly #hasBody: boolean;
  readonly #lean: boolean;
  #used = false;
  #stream: ReadableStream<Bytes> | null | undefined;

  /**
   * `lean`: the answer to refundkit's own call (a `LeanRequest`), whose `body` only core's
   * `bodyOf` reads (openapi-fetch hands it over as `data`; those clients have no middleware):
   * `body` is then a handle `bodyOf` knows, not a stream (a ReadableStream costs more to build
   * on Node 20 than the rest of the answer's handling).
   */
  constructor(source: ResponseHead, load: BodyLoader, lean = false) {
    // The attempt's own headers are served by the getter below: no copy.
    super(null, { status: source.status, statusText: source.statusText });
    // A BufferedResponse's own source (the transport's over core's node:http one).
    this.#source = BufferedResponse.sourceOf(source);
    this.#load = load;
    this.#lean = lean;
    this.#hasBody = this.#source.body !== null;
  }

  /** What `response` answers from besides its body: its source, for a BufferedResponse. */
  static sourceOf(response: ResponseHead): ResponseHead {
    return #source in response ? response.#source : response;
  }

  // The attempt's own head, served as is (none of it changes).
  override get headers(): Headers {
    return this.#source.headers;
  }
  override get url(): string {
    return this.#source.url;
  }
  override get redirected(): boolean {
    return this.#source.redirected;
  }
  override get type(): ResponseType {
    return this.#source.type;
  }
  override get bodyUsed(): boolean {
    return this.#used;
  }

  override get body(): ReadableStream<Bytes> | null {
    if (this.#stream === undefined) {
      const stream: (ReadableStream<Bytes> & OwnedStream) | null = !this.#hasBody
        ? null
        : this.#lean
          ? // Cancelling it reads the bytes, which releases the attempt's timer and listener.
            ({ cancel: () => this.#consume().then(noop, noop) } as ReadableStream<Bytes>)
          : // A stream of the bytes (highWaterMark 0: nothing is read until someone reads); a
            // failed read errors it (the pull's rejection).
            new ReadableStream<Bytes>(
              {
                pull: async (controller) => {
                  const bytes = await this.#consume();
                  if (bytes.byteLength > 0) controller.enqueue(bytes.slice());
                  controller.close();
                },
              },
              { highWaterMark: 0 },
            );
      // Known to `bodyOf`, which then reads the bytes without the stream.
      if (stream !== null) stream[OWNER] = this;
      this.#stream = stream;
    }
    return this.#stream;
  }

  override text(): Promise<string> {
    return this.#consume().then((bytes) => decoder.decode(bytes));
  }
  override json(): Promise<unknown> {
    return this.text().then(JSON.parse);
  }
  // Copies: the caller may change what it gets, and a clone reads the same bytes. (The resilient
  // fetch reads the node:http fetch's answer with `arrayBuffer()`: no Response or Headers built.)
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes().then((bytes) => bytes.buffer);
  }
  override bytes(): Promise<Bytes> {
    return this.#consume().then((bytes) => bytes.slice());
  }
  // Rarely used: a Response of the bytes (it copies them: the Fetch standard's "extract a body",
  // https://fetch.spec.whatwg.org/#concept-bodyinit-extract) with the same headers answers them.
  override blob(): Promise<Blob> {
    return this.#as("blob");
  }
  override formData(): Promise<FormData> {
    return this.#as("formData");
  }
  override clone(): Response {
    if (this.#used) throw unusable();
    return new BufferedResponse(this, this.#load);
  }

  #as<T>(method: "blob" | "formData"): Promise<T> {
    return this.#consume().then(
      (bytes) => new Response(bytes, { headers: this.headers })[method]() as Promise<T>,
    );
  }

  /** The bytes for one read of the body: a body is read at most once, as with any Response. */
  #consume(): Promise<Bytes> {
    if (this.#used) return Promise.reject(unusable());
    this.#used = true;
    return this.#hasBody ? this.#load() : Promise.resolve(new Uint8Array(0));
  }
}

const unusable = () => new TypeError("Body is unusable: already read");
