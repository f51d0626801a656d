import * as http from "node:http";
import * as https from "node:https";
import {
  ATTEMPT,
  type AttemptHook,
  BufferedResponse,
  type ResponseHead,
} from "./buffered-response.js";

type Bytes = Uint8Array<ArrayBuffer>;

/**
 * The transport on Node (this module is what `#default-fetch` resolves to under the "node" export
 * condition; browsers, edge runtimes, Bun and Deno get `web-fetch.ts`): a `fetch` over node:http
 * and node:https with keep-alive agents, as stripe-node sends with node:http on Node and with
 * `fetch` elsewhere
 * (https://github.com/stripe/stripe-node/blob/master/src/net/NodeHttpClient.ts). Node's built-in
 * fetch (undici) costs about 1.5 times the client CPU per request on this path (the repository's
 * benchmark): it builds a second `Request` from the one it is given, a body stream, and a
 * `Response` stream per answer.
 *
 * Semantics kept from fetch: the request's method, headers and body bytes (`init` as fetch reads
 * it: its `headers` replace the request's, its `body` the request's body); its AbortSignal (the
 * rejection, and that of a body read still under way, is the signal's reason, so the resilient
 * fetch still sees its own timeout); a transport failure rejects with `TypeError("fetch failed",
 * { cause })` carrying the socket error's `code` (ECONNREFUSED...), as undici does. The Response
 * resolves when the status and headers are in, and its body is read as it arrives: a body that is
 * cut or stalls rejects its read, not the fetch, so a 2xx is still known (the money moved).
 * `Accept: * /*` and `User-Agent: node` are sent when the request sets none, as undici does.
 *
 * Differences: redirects are not followed (a 3xx is returned as is, so a refund is never re-sent
 * to another URL, where fetch would re-send a 307 and turn a 302 POST into a GET); no
 * `Accept-Encoding` is sent (answers come uncompressed); undici's global dispatcher (a proxy set
 * with `setGlobalDispatcher`) is not used: pass `fetch` to send with it (`defaultFetch` keeps
 * Node's fetch when `NODE_USE_ENV_PROXY` is set).
 */
export function createKeepAliveFetch(
  options: { maxSockets?: number } = {},
): typeof globalThis.fetch {
  // Sockets left idle close after 4 s, undici's default keep-alive timeout, so that a server
  // closing an idle connection (Node's closes after 5 s) rarely races a request sent on it.
  const agentOptions = { keepAlive: true, timeout: 4_000, maxSockets: options.maxSockets };
  const agents: Record<string, http.Agent> = {
    "http:": new http.Agent(agentOptions),
    "https:": new https.Agent(agentOptions),
  };
  const keepAliveFetch: typeof globalThis.fetch = async (input, init) => {
    // What refundkit's transport passes on every attempt (its request, with in `init` only the
    // headers, body or signal that replace the request's) is read as is; anything else is read
    // the way fetch reads it, through one Request (a stream or FormData body read into bytes).
    const own =
      input instanceof Request &&
      (init === undefined ||
        (init.method === undefined &&
          (init.body == null || typeof init.body === "string" || init.body instanceof Uint8Array)));
    const request = own ? input : new Request(input, init);
    const override = own ? init : undefined;
    const body =
      override?.body !== undefined
        ? (override.body as string | Uint8Array | null)
        : request.body && new Uint8Array(await request.arrayBuffer());
    // refundkit's transport passes its attempt (ATTEMPT) rather than a signal: the request is
    // destroyed at the attempt's failure, with no AbortController built.
    const attempt = (override as { [ATTEMPT]?: AttemptHook } | undefined)?.[ATTEMPT];
    const signal = attempt === undefined ? (override?.signal ?? request.signal) : undefined;
    const stop = attempt ?? signal;
    const url = new URL(request.url);
    const agent = agents[url.protocol];
    if (agent === undefined) {
      throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    }
    const { method } = request;
    const stopped = () => {
      if (stop?.aborted) throw stop.reason;
    };
    stopped();
    // Content-Length is set by node:http from the body given to `end`.
    const headers: Record<string, string> = { accept: "*/*", "user-agent": "node" };
    const replaced = override?.headers;
    (replaced === undefined ? request.headers : new Headers(replaced)).forEach((value, name) => {
      headers[name] = value;
    });
    const send = url.protocol === "https:" ? https.request : http.request;
    // A free connection the server has already closed (its keep-alive timeout, a restart) is
    // known as closed only once its close has been read: let that happen first (two turns of
    // the event loop contain one I/O poll), rather than send on it and fail a request that may
    // not be repeated (RFC 9112 section 9.3.1: https://www.rfc-editor.org/rfc/rfc9112#section-9.3.1).
    if (hasFree(agent)) {
      await twoTurns();
      stopped();
    }
    return new Promise<Response>((resolve, reject) => {
      const failure = (error: unknown) =>
        stop?.aborted ? stop.reason : new TypeError("fetch failed", { cause: error });
      const sending = send(url, { method, headers, agent, signal }, (incoming) => {
        // Read as it arrives, whether or not anyone reads it, so that the socket is free for the
        // next request once the answer is in. An error, or the connection closed before the end
        // (the server cut the body), fails the read.
        // Listeners rather than `stream.finished`, which costs more than the rest of the read.
        const bytes = new Promise<Bytes>((resolveBody, rejectBody) => {
          const chunks: Buffer[] = [];
          let ended = false;
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("end", () => {
            ended = true;
            // One chunk (a small answer) as it came: a view of the socket's read, which
            // BufferedResponse copies before handing bytes out.
            resolveBody((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)) as Bytes);
          });
          const cut = (error?: Error) => ended || rejectBody(failure(error ?? new Error("closed")));
          incoming.on("error", cut);
          incoming.on("close", cut);
        });
        // Nobody may read it: its failure is reported to readers only.
        bytes.catch(() => {});
        const status = incoming.statusCode as number;
        const empty = status === 204 || status === 205 || status === 304 || method === "HEAD";
        let headers: Headers | undefined;
        try {
          const head: ResponseHead = {
            status,
            statusText: incoming.statusMessage ?? "",
            url: request.url,
            redirected: false,
            type: "default",
            body: empty ? null : undefined,
            // Built only when asked for. Node joins repeated headers with ", " as fetch does
            // (Set-Cookie, which it keeps as a list, with ",").
            get headers() {
              headers ??= new Headers(incoming.headers as Record<string, string>);
              return headers;
            },
            // One header as received (`headerOf`), without a Headers.
            raw: (name) => incoming.headers[name]?.toString() ?? null,
          };
          resolve(new BufferedResponse(head, () => bytes));
        } catch (error) {
          // A status (below 200, above 599) or reason phrase a Response cannot carry: not a
          // usable answer.
          incoming.destroy();
          reject(failure(error));
        }
      });
      sending.on("error", (error) => reject(failure(error)));
      // Once the answer is in (or the request failed), node:http has marked the request
      // destroyed and this does nothing: the socket back in the pool is not touched.
      if (attempt !== undefined) attempt.onFail = (reason) => sending.destroy(reason as Error);
      sending.end(body ?? undefined);
    });
  };
  (keepAliveFetch as { [ATTEMPT]?: true })[ATTEMPT] = true;
  return keepAliveFetch;
}

/** Resolves two turns of the event loop from now: the first turn's callback schedules `resolve`. */
const twoTurns = () => new Promise((resolve) => setImmediate(setImmediate, resolve));

function hasFree(agent: http.Agent): boolean {
  for (const _ in agent.freeSockets) return true;
  return false;
}

/** Node's own fetch, as it was when this module loaded. */
const runtimeFetch = globalThis.fetch;
/**
 * Proxies from the environment apply to Node's fetch only (NODE_USE_ENV_PROXY, read by Node at
 * start-up: https://nodejs.org/api/cli.html#node_use_env_proxy1): keep sending with it then.
 */
const envProxy = Boolean(process.env.NODE_USE_ENV_PROXY);
let keepAlive: typeof globalThis.fetch | undefined;

/**
 * The fetch a client sends with when given none: `createKeepAliveFetch`'s, while
 * `globalThis.fetch` is still the one this module found and `NODE_USE_ENV_PROXY` is not set;
 * else `globalThis.fetch`, looked up at each call, as with any other runtime: once something
 * replaced it (msw's `setupServer`, a test's stub, an instrumentation wrapper), that replacement.
 */
export function defaultFetch(): typeof globalThis.fetch {
  if (globalThis.fetch !== runtimeFetch || envProxy) return globalThis.fetch;
  keepAlive ??= createKeepAliveFetch();
  return keepAlive;
}
