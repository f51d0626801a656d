import * as http from "node:http";
import * as https from "node:https";
import { bytesBodyForClone, mixinBytesBody, setBytesBody } from "@refundkit/core/internal";

/**
 * A `fetch` over node:http with keep-alive agents, for `refundkit bulk`: thousands of refunds to
 * a few hosts. Node's built-in fetch (undici) costs several times more CPU per request than
 * node:http on this path (measured in the repository's bulk benchmark), which caps a bulk run's
 * throughput.
 *
 * Semantics kept from fetch: the request's method, headers and body bytes (`init` as fetch reads
 * it: its `headers` replace the request's, its `body` replaces the request's body); its
 * AbortSignal (the rejection is the signal's reason, so the resilient fetch still sees its own
 * timeout); a transport failure rejects with `TypeError("fetch failed", { cause })` carrying the
 * socket error's `code` (ECONNREFUSED etc.), as undici does. Differences: redirects are not
 * followed (a 3xx is returned as is, so a refund is never re-sent to another URL), and the body is
 * read whole before the Response resolves (refund answers are small).
 *
 * Cost per request is kept low on purpose: a `Request` from refundkit's transport is read as it
 * is (no second `Request` is built from it, its string body is written as is), and the answer is
 * a `Response` that serves its body from the bytes already read (no stream round trip).
 */
export function createKeepAliveFetch(options: { maxSockets: number }): typeof globalThis.fetch {
  const agents: Record<string, http.Agent> = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
  };
  return async function keepAliveFetch(input, init) {
    const outgoing = await toOutgoing(input, init);
    const url = new URL(outgoing.url);
    const agent = agents[url.protocol];
    if (agent === undefined) {
      throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    }
    const { method, body, signal } = outgoing;
    signal?.throwIfAborted();
    const headers: Record<string, string> = {};
    outgoing.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== null) {
      headers["content-length"] = String(
        typeof body === "string" ? Buffer.byteLength(body) : body.byteLength,
      );
    }
    const send = url.protocol === "https:" ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown) =>
        reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
      const request = send(
        url,
        { method, headers, agent, ...(signal === undefined ? {} : { signal }) },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("error", fail);
          incoming.on("end", () => {
            const status = incoming.statusCode ?? 0;
            // A status a Response cannot carry (below 200, above 599): not a usable answer.
            if (status < 200 || status > 599) {
              fail(new RangeError(`unusable HTTP status ${status}`));
              return;
            }
            const empty = status === 204 || status === 205 || status === 304 || method === "HEAD";
            try {
              resolve(
                new BytesResponse(
                  empty
                    ? null
                    : chunks.length === 1
                      ? (chunks[0] as Buffer)
                      : Buffer.concat(chunks),
                  status,
                  incoming.statusMessage ?? "",
                  incoming.rawHeaders,
                ),
              );
            } catch (error) {
              // A reason phrase a Response cannot carry: not a usable answer.
              fail(error);
            }
          });
        },
      );
      request.on("error", fail);
      request.end(body ?? undefined);
    });
  };
}

interface Outgoing {
  url: string;
  method: string;
  headers: Headers;
  body: string | Uint8Array | null;
  signal: AbortSignal | undefined;
}

/**
 * What to send, read the way `new Request(input, init)` would read it, without building that
 * Request when `input` is already one and `init` only overrides headers, body or signal (what
 * refundkit's transport passes on every attempt). Any other body (a stream, FormData...) goes
 * through a Request once to get its bytes and content type.
 */
async function toOutgoing(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): Promise<Outgoing> {
  if (input instanceof Request && (init === undefined || plainInit(init))) {
    const body =
      init !== undefined && init.body !== undefined
        ? (init.body as string | Uint8Array | null)
        : input.body === null
          ? null
          : new Uint8Array(await input.arrayBuffer());
    const signal = init?.signal ?? input.signal;
    return {
      url: input.url,
      method: input.method,
      headers: init?.headers === undefined ? input.headers : new Headers(init.headers),
      body,
      signal: signal ?? undefined,
    };
  }
  const request = new Request(input, init);
  return {
    url: request.url,
    method: request.method,
    headers: request.headers,
    body: request.body === null ? null : new Uint8Array(await request.arrayBuffer()),
    signal: request.signal,
  };
}

function plainInit(init: RequestInit): boolean {
  for (const key in init) {
    if (key !== "headers" && key !== "body" && key !== "signal") return false;
  }
  const body = init.body;
  return (
    body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array
  );
}

/**
 * A Response whose body is bytes already read from the socket, served from them by core's
 * `mixinBytesBody` (read at most once, as with any Response); `headers` are built only when asked
 * for.
 */
class BytesResponse extends Response {
  readonly #rawHeaders: string[];
  #headers: Headers | undefined;

  constructor(bytes: Uint8Array | null, status: number, statusText: string, rawHeaders: string[]) {
    super(null, { status, statusText });
    setBytesBody(this, bytes);
    this.#rawHeaders = rawHeaders;
  }

  override get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      const raw = this.#rawHeaders;
      for (let index = 0; index + 1 < raw.length; index += 2) {
        headers.append(raw[index] as string, raw[index + 1] as string);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  override clone(): Response {
    return new BytesResponse(
      bytesBodyForClone(this),
      this.status,
      this.statusText,
      this.#rawHeaders,
    );
  }
}
mixinBytesBody(BytesResponse.prototype);
