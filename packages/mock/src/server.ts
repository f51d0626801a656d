import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { MockAnswer } from "./answers.js";
import type { MockCredentials } from "./credentials.js";
import { FAULT_KINDS, isFaultKind, type MockFaults } from "./faults.js";
import {
  createMockProviders,
  type MockOptions,
  prepareValidators,
  seedParsed,
} from "./handlers.js";
import type { MockOrders, SeedOrder } from "./ledger.js";
import { ServerRequest } from "./request.js";
import { createRouter, type Router } from "./routing.js";
import { isMockProvider, type MockBaseUrls } from "./types.js";
import { hooksAdmin, type MockWebhooks } from "./webhooks.js";

/** Options of `startMockServer`: port, host, and the handler options except base URLs. */
export interface MockServerOptions extends Omit<MockOptions, "baseUrls"> {
  /** 0 (default): any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** A running mock HTTP server: its URLs, ledger, faults and credentials. */
export interface MockServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/sezzle`, `${url}/optty`, `${url}/levelup`, `${url}/moyasar`, `${url}/briqpay/v3`. */
  baseUrls: MockBaseUrls;
  orders: MockOrders;
  faults: MockFaults;
  credentials: MockCredentials;
  /** Refund webhooks: events emitted, URLs registered (also `POST /__mock/hooks`), faults. */
  webhooks: MockWebhooks;
  /** Stops the server; resolves once it is closed. */
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** The admin API takes more: an array of orders seeded in one request (100,000 orders fit). */
const MAX_ADMIN_BODY = 64 * 1024 * 1024;

/**
 * A request target that the WHATWG URL parser leaves as it is: origin-form (`/` and not `//`),
 * no query or fragment, no percent-encoding or dot (so no dot segment to remove), and only
 * characters the path percent-encode set does not change
 * (https://url.spec.whatwg.org/#path-percent-encode-set). Its pathname is the target itself; any
 * other target is parsed.
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-_~!$&'()*+,;=:@/]*$/;

function readBody(message: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new RangeError("request body too large"));
        message.destroy();
        return;
      }
      chunks.push(chunk);
    });
    // A refund's body arrives in one chunk: kept as it came rather than copied by concat.
    message.on("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    message.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  // The mock's own answers are written as they were built: no body stream read back.
  const wire = response instanceof MockAnswer ? response.wire() : undefined;
  if (wire !== undefined) {
    res.writeHead(wire.status, wire.fields as Record<string, string>);
    // The text the bytes were encoded from, when there is one: written with the header at once.
    const text = wire.bytes === null ? undefined : (response as MockAnswer).bodyText();
    res.end(text ?? wire.bytes ?? undefined);
    return;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Serves the same msw handlers over HTTP (node:http; each request routed to its handler by
 * patterns compiled once, see ./routing.ts), one path prefix per provider, plus the admin API
 * under `/__mock/`.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? "127.0.0.1";
  const { port: _port, host: _host, ...mockOptions } = options;
  const sockets = new Set<Socket>();
  let state:
    | { mock: ReturnType<typeof createMockProviders>; url: string; router: Router }
    | undefined;
  const aborts = new Set<ServerRequest>();

  async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (state === undefined) throw new Error("mock server not ready");
    const { mock, url } = state;
    const method = req.method ?? "GET";
    const readJson = async (): Promise<unknown> => {
      const raw = (await readBody(req, MAX_ADMIN_BODY)).toString("utf8");
      return raw.trim() === "" ? {} : (JSON.parse(raw) as unknown);
    };
    try {
      if (path === "/__mock/providers" && method === "GET") {
        return sendJson(res, 200, { url, baseUrls: mock.baseUrls, credentials: mock.credentials });
      }
      if (path === "/__mock/orders" && method === "GET") {
        return sendJson(res, 200, { orders: mock.orders.list() });
      }
      if (path === "/__mock/orders" && method === "POST") {
        const body = await readJson();
        // An array seeds many orders in one request (bulk runs), in order; the first invalid
        // one stops it with a 400 naming its index and how many were seeded before it.
        if (Array.isArray(body)) {
          for (const [index, order] of body.entries()) {
            try {
              seedParsed(mock.orders, order as SeedOrder);
            } catch (error) {
              return sendJson(res, 400, {
                error: `orders[${index}]: ${(error as Error).message}`,
                seeded: index,
              });
            }
          }
          return sendJson(res, 201, { seeded: body.length });
        }
        const order = mock.orders.seed(body as SeedOrder);
        return sendJson(res, 201, order);
      }
      if (path === "/__mock/orders" && method === "DELETE") {
        mock.orders.reset();
        return sendJson(res, 200, { orders: [] });
      }
      const settle = /^\/__mock\/orders\/([^/]+)\/([^/]+)\/refunds\/([^/]+)\/settle$/.exec(path);
      if (settle !== null && method === "POST") {
        const [, provider, orderId, refundId] = settle.map((part) => decodeURIComponent(part));
        const body = (await readJson()) as { outcome?: unknown };
        if (!isMockProvider(provider)) return sendJson(res, 400, { error: "unknown provider" });
        const outcome = body.outcome;
        if (outcome !== undefined && outcome !== "approved" && outcome !== "rejected") {
          return sendJson(res, 400, { error: 'outcome must be "approved" or "rejected"' });
        }
        return sendJson(
          res,
          200,
          mock.orders.settle(provider, orderId ?? "", refundId ?? "", outcome),
        );
      }
      const single = /^\/__mock\/orders\/([^/]+)\/([^/]+)$/.exec(path);
      if (single !== null && method === "GET") {
        const provider = decodeURIComponent(single[1] ?? "");
        const order = isMockProvider(provider)
          ? mock.orders.get(provider, decodeURIComponent(single[2] ?? ""))
          : undefined;
        return order === undefined
          ? sendJson(res, 404, { error: "not found" })
          : sendJson(res, 200, order);
      }
      if (path === "/__mock/faults" && method === "POST") {
        const body = (await readJson()) as Record<string, unknown>;
        if (!isMockProvider(body.provider))
          return sendJson(res, 400, { error: "unknown provider" });
        if (!isFaultKind(body.kind)) {
          return sendJson(res, 400, { error: `kind must be one of ${FAULT_KINDS.join(", ")}` });
        }
        mock.faults.inject({
          provider: body.provider,
          kind: body.kind,
          ...(typeof body.count === "number" ? { count: body.count } : {}),
          ...(typeof body.retryAfterSeconds === "number"
            ? { retryAfterSeconds: body.retryAfterSeconds }
            : {}),
          ...(body.endpoint === "refund" || body.endpoint === "token"
            ? { endpoint: body.endpoint }
            : {}),
        });
        return sendJson(res, 201, { faults: mock.faults.list() });
      }
      if (path === "/__mock/faults" && method === "GET")
        return sendJson(res, 200, { faults: mock.faults.list() });
      if (path === "/__mock/faults" && method === "DELETE") {
        mock.faults.clear();
        return sendJson(res, 200, { faults: [] });
      }
      if (path.startsWith("/__mock/hooks")) {
        const answer = await hooksAdmin(
          mock.webhooks,
          path,
          method,
          method === "POST" ? await readJson() : undefined,
        );
        if (answer !== undefined) return sendJson(res, answer.status, answer.body);
      }
      return sendJson(res, 404, { error: "not found" });
    } catch (error) {
      return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const server = createServer((req, res) => {
    void (async () => {
      if (state === undefined) return sendJson(res, 503, { error: "starting" });
      const target = req.url ?? "/";
      let pathname: string;
      let href: string;
      let sameOrigin = true;
      if (PLAIN_PATH.test(target)) {
        pathname = target;
        href = state.url + target;
      } else {
        const url = new URL(target, state.url);
        pathname = url.pathname;
        href = url.href;
        sameOrigin = url.origin === state.url;
      }
      if (pathname.startsWith("/__mock/")) return admin(req, res, pathname);
      const method = req.method ?? "GET";
      const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
      // The request's signal aborts when the client goes away before the answer is sent (a
      // `hang` fault waits on it); the client is watched only once a handler asks for it.
      let watched = false;
      const request: ServerRequest = new ServerRequest(href, method, req.rawHeaders, body, () => {
        if (watched) return;
        watched = true;
        if (res.closed) {
          if (!res.writableFinished) request.abort();
          return;
        }
        aborts.add(request);
        res.on("close", () => {
          if (!res.writableFinished) request.abort();
          aborts.delete(request);
        });
      });
      const response = await state.router.handle({ pathname, sameOrigin, request });
      if (response === undefined) return sendJson(res, 404, { error: "not found" });
      // HttpResponse.error(): a network error, here a reset connection.
      if (response.type === "error") {
        req.socket.destroy();
        return;
      }
      await sendResponse(res, response);
    })().catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("mock server has no TCP address");
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}`;
  const mock = createMockProviders({
    ...mockOptions,
    baseUrls: {
      sezzle: `${url}/sezzle`,
      optty: `${url}/optty`,
      // One origin for Optty's API and token endpoint, so a client given only `baseUrl` finds
      // `<baseUrl>/token` (the live token host is separate: auth.optty.com).
      opttyAuth: `${url}/optty`,
      levelup: `${url}/levelup`,
      moyasar: `${url}/moyasar`,
      briqpay: `${url}/briqpay/v3`,
    },
  });
  // Compiled now, not by the first request of each kind (Ajv compiles in milliseconds per
  // schema: a run's first refunds would pay it).
  prepareValidators(mock);
  state = { mock, url, router: createRouter(mock.handlers, url) };

  return {
    url,
    baseUrls: mock.baseUrls,
    orders: mock.orders,
    faults: mock.faults,
    webhooks: mock.webhooks,
    credentials: mock.credentials,
    close() {
      mock.faults.clear();
      for (const request of aborts) request.abort();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
