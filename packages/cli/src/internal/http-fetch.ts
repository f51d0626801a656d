import * as http from "node:http";
import * as https from "node:https";

/**
 * A `fetch` over node:http with keep-alive agents, for `refundkit bulk`: thousands of refunds to
 * a few hosts. Node's built-in fetch (undici) costs several times more CPU per request than
 * node:http on this path (measured in the repository's bulk benchmark), which caps a bulk run's throughput.
 *
 * Semantics kept from fetch: the request's method, headers and body bytes; its AbortSignal (the
 * rejection is the signal's reason, so the resilient fetch still sees its own timeout); a
 * transport failure rejects with `TypeError("fetch failed", { cause })` carrying the socket
 * error's `code` (ECONNREFUSED etc.), as undici does. Differences: redirects are not followed
 * (a 3xx is returned as is, so a refund is never re-sent to another URL), and the body is read
 * whole before the Response resolves (refund answers are small).
 */
export function createKeepAliveFetch(options: { maxSockets: number }): typeof globalThis.fetch {
  const agents: Record<string, http.Agent> = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
  };
  return async function keepAliveFetch(input, init) {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    const agent = agents[url.protocol];
    if (agent === undefined) {
      throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    }
    const signal = request.signal;
    signal.throwIfAborted();
    const body = request.body === null ? null : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== null) headers["content-length"] = String(body.length);
    const send = url.protocol === "https:" ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown) =>
        reject(signal.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
      const outgoing = send(url, { method: request.method, headers, agent, signal }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", fail);
        incoming.on("end", () => {
          const responseHeaders = new Headers();
          const raw = incoming.rawHeaders;
          for (let index = 0; index + 1 < raw.length; index += 2) {
            responseHeaders.append(raw[index] as string, raw[index + 1] as string);
          }
          const status = incoming.statusCode ?? 0;
          const empty = status === 204 || status === 205 || status === 304;
          try {
            resolve(
              new Response(empty || request.method === "HEAD" ? null : Buffer.concat(chunks), {
                status,
                statusText: incoming.statusMessage ?? "",
                headers: responseHeaders,
              }),
            );
          } catch (error) {
            // A status Response cannot carry (below 200, above 599): not a usable answer.
            fail(error);
          }
        });
      });
      outgoing.on("error", fail);
      outgoing.end(body ?? undefined);
    });
  };
}
