/**
 * The fetch `Request` a handler gets for an HTTP request: the body is the bytes already read from
 * the socket, served by `text()`, `json()`, `arrayBuffer()` and `clone()` without a stream round
 * trip (`body`, a stream of them, is built only when read); the signal is made only when a
 * handler asks for it. Headers, method and URL are a plain Request's.
 */
export class IncomingRequest extends Request {
  readonly #bytes: Buffer | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;

  constructor(url: URL, method: string, rawHeaders: readonly string[], bytes: Buffer | undefined) {
    const headers: [string, string][] = [];
    for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
      headers.push([rawHeaders[index] as string, rawHeaders[index + 1] as string]);
    }
    super(url, { method, headers });
    this.#bytes = bytes === undefined || bytes.length === 0 ? undefined : bytes;
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

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream === undefined) {
      const bytes = this.#bytes;
      this.#stream =
        bytes === undefined
          ? null
          : new ReadableStream<Uint8Array<ArrayBuffer>>(
              {
                pull: (controller) => {
                  if (!this.#used) {
                    this.#used = true;
                    controller.enqueue(new Uint8Array(bytes));
                  }
                  controller.close();
                },
              },
              { highWaterMark: 0 },
            );
    }
    return this.#stream;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  override text(): Promise<string> {
    return this.#consume().then((bytes) => bytes.toString("utf8"));
  }
  override json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#consume().then((bytes) => new Uint8Array(bytes).buffer);
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#consume().then((bytes) => new Uint8Array(bytes));
  }
  override blob(): Promise<Blob> {
    const type = this.headers.get("content-type") ?? "";
    return this.#consume().then((bytes) => new Blob([new Uint8Array(bytes)], { type }));
  }
  override formData(): Promise<FormData> {
    return this.#consume().then((bytes) =>
      new Response(new Uint8Array(bytes), { headers: this.headers }).formData(),
    );
  }
  override clone(): Request {
    if (this.#used) throw new TypeError("Request.clone: the body has already been read");
    const copy = new IncomingRequest(
      new URL(this.url),
      this.method,
      [...this.headers].flat(),
      this.#bytes,
    );
    if (this.#aborted) copy.abort();
    return copy;
  }

  #consume(): Promise<Buffer> {
    if (this.#used) return Promise.reject(new TypeError("Body is unusable: already read"));
    this.#used = true;
    return Promise.resolve(this.#bytes ?? Buffer.alloc(0));
  }
}
