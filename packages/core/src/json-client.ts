import { headerOf } from "./internal/buffered-response.js";
import { LeanRequest } from "./outgoing-request.js";
import type { CallOutcome, RequestFetch } from "./provider-kit.js";
import type { ProviderName } from "./types.js";
import { pathParamText } from "./validate.js";

/*
 * The facade's sender: the GET and POST of an openapi-fetch client (https://openapi-ts.dev/openapi-fetch/),
 * for the call options the provider packages use, in a few hundred bytes instead of
 * openapi-fetch's 2.2 kB (issue 8's bundle size). `create<P>Client` keeps returning a real
 * openapi-fetch client (the public contract); the facade, which never hands a client out, sends
 * its refunds, lookups and token calls through this one, built on the same transport, auth,
 * path guard and request classes (`LeanRequest`). test/json-client.test.ts checks that both send the same
 * request and read the same outcome.
 */

/** The options of one call, the subset of openapi-fetch's the provider packages pass. */
export interface JsonCallOptions {
  params?: {
    /** Path parameters, each checked as `guardedPathSerializer` does (simple style `{name}` only). */
    path?: Record<string, unknown>;
    header?: Record<string, string | undefined>;
  };
  /** Serialized by `bodySerializer`, else as JSON (then with `Content-Type: application/json`). */
  body?: unknown;
  bodySerializer?: (body: never) => string;
  /** Headers of this call; they win over the client's. */
  headers?: Record<string, string | undefined>;
  /** A 2xx body as its stream ("stream") or its text ("text"). */
  parseAs: "stream" | "text";
  signal?: AbortSignal | undefined;
  /**
   * openapi-fetch's per-call `Request` class (`CallInit` passes `LeanRequest` for refundkit's own
   * refunds and lookups). Default `LeanRequest` as well: this client has no middleware either.
   */
  Request?: typeof Request;
}

/** The two methods of an openapi-fetch client the provider packages call. */
export interface JsonClient {
  GET(path: string, options: JsonCallOptions): Promise<CallOutcome>;
  POST(path: string, options: JsonCallOptions): Promise<CallOutcome>;
}

/** A simple `{name}` path parameter; `split` with it gives literal parts and names, alternating. */
const PATH_PARAM = /\{([^{}]+)\}/;

/**
 * The URL template `parts` (a URL split by PATH_PARAM) with each simple `{name}` replaced by its
 * parameter, encoded as openapi-fetch's `defaultPathSerializer` does, after the check
 * `guardedPathSerializer` makes of each (`pathParamText`: a missing, empty or unsafe id is
 * RefundError("invalid_request"), safe integers checked as their decimal text), in the template's
 * order; a parameter the template does not name is not sent, so not checked.
 */
function fillPath(
  provider: ProviderName,
  parts: readonly string[],
  params: Record<string, unknown>,
): string {
  let url = parts[0] ?? "";
  for (let index = 1; index < parts.length; index += 2) {
    const name = parts[index] as string;
    url += encodeURIComponent(pathParamText(provider, name, params[name])) + parts[index + 1];
  }
  return url;
}

/**
 * A client sending as an openapi-fetch client made with `clientOptions(provider, baseUrl, fetch,
 * defaultPathSerializer, headers)` does: the URL `baseUrl + path` with its path parameters
 * guarded and encoded, headers merged in openapi-fetch's order (`Content-Type:
 * application/json` for a body, then `headers`, the call's headers, `params.header`), one
 * request (the call's `Request` class, else `LeanRequest`) with `redirect: "follow"` and
 * the call's signal, then the same outcome: a
 * 204 or `Content-Length: 0` (not chunked) answer has no `data`/`error`; a 2xx's `data` is its
 * stream or text; any other status's `error` is its text parsed as JSON when it is JSON.
 * Queries, middleware and the other parse modes are not supported: no provider package uses them.
 */
export function createJsonClient(
  provider: ProviderName,
  baseUrl: string,
  fetch: RequestFetch,
  headers?: Record<string, string>,
): JsonClient {
  // Each path's URL template split once (the provider packages call a handful of literal paths):
  // no regular expression run per call. Bounded, should a caller pass paths built at run time.
  const templates = new Map<string, readonly string[]>();
  const templateOf = (path: string): readonly string[] => {
    let parts = templates.get(path);
    if (parts === undefined) {
      parts = `${baseUrl}${path}`.split(PATH_PARAM);
      if (templates.size < 64) templates.set(path, parts);
    }
    return parts;
  };
  const call =
    (method: "GET" | "POST") =>
    async (path: string, options: JsonCallOptions): Promise<CallOutcome> => {
      const { params = {}, body, bodySerializer = JSON.stringify, parseAs, signal } = options;
      const Outgoing = options.Request ?? (LeanRequest as unknown as typeof Request);
      const serialized = body === undefined ? undefined : bodySerializer(body as never);
      const merged = new Headers(
        serialized === undefined ? undefined : { "Content-Type": "application/json" },
      );
      for (const source of [headers, options.headers, params.header]) {
        for (const name in source) {
          const value = source[name];
          if (value !== undefined) merged.set(name, value);
        }
      }
      const response = await fetch(
        new Outgoing(
          params.path ? fillPath(provider, templateOf(path), params.path) : `${baseUrl}${path}`,
          {
            redirect: "follow",
            method,
            signal,
            body: serialized,
            headers: merged,
          },
        ),
      );
      // No body: a 204, or `Content-Length: 0` unless chunked. Else a 2xx's stream or text, any
      // other status's text parsed as JSON when it is JSON.
      let value: unknown;
      if (
        !(
          response.status === 204 ||
          (headerOf(response, "content-length") === "0" &&
            !headerOf(response, "transfer-encoding")?.includes("chunked"))
        )
      ) {
        value = response.ok && parseAs === "stream" ? response.body : await response.text();
        if (!response.ok) {
          try {
            value = JSON.parse(value as string);
          } catch {}
        }
      }
      return response.ok
        ? { data: value as CallOutcome["data"], response }
        : { error: value, response };
    };
  return { GET: call("GET"), POST: call("POST") };
}
