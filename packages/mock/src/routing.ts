/**
 * How the HTTP server finds and runs the msw handler for a request.
 *
 * msw's `getResponse` is built for interception: for every request it tries each handler in turn,
 * and each one parses the URL, compiles its path pattern, reads the cookie store (tough-cookie),
 * clones the request (a body stream `tee`) for logging, and arms and aborts an AbortController.
 * Measured in-process on a Sezzle refund, that pipeline cost about 650 us of CPU per request
 * against about 275 us for the handler's own work (spec validation, ledger, idempotency, webhook
 * event, response body), so a bulk run against the HTTP mock spent most of the mock's time there.
 *
 * Here the handlers' patterns are compiled once, when the server starts, with msw's matching
 * rules (https://mswjs.io/docs/http/intercepting-requests: `:name` parameters, decoded;
 * case-insensitive; an optional trailing slash; query and hash ignored), and the first handler
 * in list order whose method and path match is run, as msw does. Its resolver is called with the
 * arguments msw gives an `http` handler (`request`, `params`, `cookies`, `requestId`): the same
 * functions answer in msw mode and over HTTP, so the mock behaves the same in both. The mock's
 * own handlers (made by ./spec-http.ts) read the request only as a `MockRequest` and get the
 * server's request as it is; any other handler gets it as a fetch `Request` (./request.ts).
 *
 * A handler this cannot compile (a RegExp or predicate path, wildcards, `once`, another origin,
 * or an msw that no longer exposes the resolver) is run through msw's own `getResponse`, in its
 * place in the list. Generator resolvers (msw keeps their state between requests) are not used by
 * the mock's handlers and are refused here with a clear error rather than answered wrongly.
 */
import { getResponse, HttpHandler, type RequestHandler } from "msw";
import type { MockRequest } from "./request.js";
import { takesMockRequest } from "./spec-http.js";

/** What a handler's resolver is called with (msw's `http` resolver arguments). */
interface ResolverInfo {
  request: MockRequest;
  requestId: string;
  params: Record<string, string>;
  readonly cookies: Record<string, string>;
}

type Resolver = (info: ResolverInfo) => unknown;

type Route =
  | {
      kind: "direct";
      method: string;
      pattern: RegExp;
      names: string[];
      resolver: Resolver;
      /** Made by ./spec-http.ts: given the server's `MockRequest`, not a fetch `Request`. */
      mockRequest: boolean;
    }
  | { kind: "msw"; handler: RequestHandler };

/** A request the router runs: its path (without the origin and query), and the request. */
export interface RoutedRequest {
  /** The URL's pathname, as the WHATWG URL parser gives it. */
  pathname: string;
  /** Whether the URL's origin is the server's (a request in absolute form may name another). */
  sameOrigin: boolean;
  request: MockRequest & { toRequest(): Request };
}

/** Finds the handler for each request and runs it; undefined when none answers (a 404). */
export interface Router {
  handle(routed: RoutedRequest): Promise<Response | undefined>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `/v2/order/:order_uuid/refund` as path-to-regexp (msw's matcher) reads it with its defaults:
 * `:name` is one segment (lazy, no `/`, `#` or `?`), case-insensitive, the trailing slash
 * optional, the whole path matched. Undefined for anything else (wildcards, groups, modifiers).
 */
function compilePath(path: string): { pattern: RegExp; names: string[] } | undefined {
  if (/[*()?+{}]/.test(path)) return undefined;
  const names: string[] = [];
  let source = "";
  let last = 0;
  for (const match of path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)) {
    source += escapeRegExp(path.slice(last, match.index));
    source += "([^\\/#\\?]+?)";
    names.push(match[1] as string);
    last = (match.index ?? 0) + match[0].length;
  }
  if (path.slice(last).includes(":")) return undefined;
  source += escapeRegExp(path.slice(last).replace(/\/$/, ""));
  return { pattern: new RegExp(`^${source}(?:\\/)?$`, "i"), names };
}

function directRoute(handler: RequestHandler, origin: string): Route | undefined {
  if (!(handler instanceof HttpHandler)) return undefined;
  const { method, path } = handler.info;
  const resolver = (handler as unknown as { resolver?: unknown }).resolver;
  const options = (handler as unknown as { options?: { once?: boolean } }).options;
  if (typeof method !== "string" || typeof path !== "string" || typeof resolver !== "function") {
    return undefined;
  }
  if (options?.once === true) return undefined;
  if (!path.startsWith(`${origin}/`)) return undefined;
  const compiled = compilePath(path.slice(origin.length));
  if (compiled === undefined) return undefined;
  return {
    kind: "direct",
    method: method.toUpperCase(),
    ...compiled,
    resolver: resolver as Resolver,
    mockRequest: takesMockRequest(handler),
  };
}

/** A resolver's arguments; `cookies` parsed only when a resolver reads them. */
class Info implements ResolverInfo {
  #cookies: Record<string, string> | undefined;

  constructor(
    readonly request: MockRequest,
    readonly requestId: string,
    readonly params: Record<string, string>,
  ) {}

  get cookies(): Record<string, string> {
    this.#cookies ??= parseCookies(this.request.headers.get("cookie"));
    return this.#cookies;
  }
}

/** `Cookie: a=1; b=2` as msw gives it to resolvers (read only when a resolver asks). */
function parseCookies(header: string | null): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (header === null) return cookies;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** Compiles the routes of `handlers` served at `origin` (`http://127.0.0.1:<port>`), once. */
export function createRouter(handlers: readonly RequestHandler[], origin: string): Router {
  const routes: Route[] = handlers.map(
    (handler) => directRoute(handler, origin) ?? { kind: "msw", handler },
  );
  // The routes a method can take, in list order (msw's own routes take any method).
  const byMethod = new Map<string, Route[]>();
  const routesFor = (method: string): Route[] => {
    let list = byMethod.get(method);
    if (list === undefined) {
      list = routes.filter((route) => route.kind === "msw" || route.method === method);
      byMethod.set(method, list);
    }
    return list;
  };
  let requestCount = 0;
  return {
    async handle({ pathname, sameOrigin, request }) {
      const method = request.method.toUpperCase();
      for (const route of routesFor(method)) {
        if (route.kind === "msw") {
          const response = await getResponse([route.handler], request.toRequest());
          if (response !== undefined) return response;
          continue;
        }
        if (!sameOrigin) continue;
        const match = route.pattern.exec(pathname);
        if (match === null) continue;
        const params: Record<string, string> = {};
        try {
          for (let index = 0; index < route.names.length; index++) {
            const value = match[index + 1] as string;
            // Most parameters have nothing to decode (no `%`): kept as they are.
            params[route.names[index] as string] = value.includes("%")
              ? decodeURIComponent(value)
              : value;
          }
        } catch {
          // An undecodable parameter: msw's matcher throws here too; no handler answers it.
          return undefined;
        }
        const info = new Info(
          route.mockRequest ? request : request.toRequest(),
          String(++requestCount),
          params,
        );
        let response: unknown;
        try {
          response = await route.resolver(info);
        } catch (error) {
          // msw lets a resolver throw a Response to answer with it.
          if (error instanceof Response) return error;
          throw error;
        }
        // A resolver that returns nothing passes the request on to the next handler.
        if (response instanceof Response) return response;
        if (response != null && typeof response === "object") {
          throw new TypeError(
            `${method} ${pathname}: the handler answered with a generator or a non-Response, which the mock's HTTP server does not run`,
          );
        }
      }
      return undefined;
    },
  };
}
