/**
 * msw `http` handlers typed by a spec's generated `paths`, the way openapi-msw types them
 * (https://github.com/christoph-fricke/openapi-msw: path templates as in the spec, `params` and
 * the request body typed by the operation, `response(status).json(body)` checked against the
 * schema the spec documents for that status), answering with the mock's `MockAnswer`s.
 *
 * openapi-msw's runtime gives each request a `query` wrapper (a URL parse) and a response
 * helper whose `json` is msw's `HttpResponse.json` (a `Blob` and a body stream per answer, read
 * back by whoever sends or keeps it). The mock's handlers read neither `query` nor anything a
 * `MockAnswer` lacks, so this keeps openapi-msw's types and builds answers from their bytes.
 */
import { type HttpHandler, http } from "msw";
import type { AnyApiSpec, HttpMethod, ResponseResolver, ResponseResolverInfo } from "openapi-msw";
import { emptyAnswer, jsonAnswer, type MockAnswer, textAnswer } from "./answers.js";
import type { MockRequest } from "./request.js";

/**
 * What a resolver gets: openapi-msw's info without `query` (read `request.url` instead), its
 * `request` a `MockRequest` (msw's `Request` in msw mode, the HTTP server's `ServerRequest` over
 * HTTP: see ./request.ts).
 */
type SpecResolverInfo<
  Paths extends AnyApiSpec,
  Path extends keyof Paths,
  Method extends HttpMethod,
> = Omit<ResponseResolverInfo<Paths, Path, Method>, "query" | "request"> & {
  request: MockRequest;
};

type SpecResolver<Paths extends AnyApiSpec, Path extends keyof Paths, Method extends HttpMethod> = (
  info: SpecResolverInfo<Paths, Path, Method>,
) => ReturnType<ResponseResolver<Paths, Path, Method>>;

/** The spec's paths that have this method (openapi-msw's `PathsForMethod`). */
type PathsForMethod<Paths extends AnyApiSpec, Method extends HttpMethod> = {
  [Path in keyof Paths]: Paths[Path] extends Record<Method, unknown> ? Path : never;
}[keyof Paths];

type SpecHandler<Paths extends AnyApiSpec, Method extends HttpMethod> = <
  Path extends PathsForMethod<Paths, Method>,
>(
  path: Path,
  resolver: SpecResolver<Paths, Path, Method>,
) => HttpHandler;

/** `get` and `post` handlers (the methods the mock answers) under `baseUrl`. */
export interface SpecHttp<Paths extends AnyApiSpec> {
  get: SpecHandler<Paths, "get">;
  post: SpecHandler<Paths, "post">;
}

/** The init openapi-msw's helpers take: a status for wildcard entries (`4XX`), headers. */
interface AnswerInit {
  status?: number;
  headers?: HeadersInit;
}

function headersOf(init: AnswerInit | undefined): Record<string, string> | undefined {
  if (init?.headers === undefined) return undefined;
  return Object.fromEntries(new Headers(init.headers));
}

/**
 * openapi-msw's `response` helper, answering with `MockAnswer`s: `response(status).json(body)`,
 * `.text(body)`, `.empty()` (`content-length: 0`), `response.untyped(anyResponse)`. Stateless:
 * one serves every request. openapi-msw types its answers as msw's `HttpResponse<Body>`, whose
 * type parameter only carries the body's type for the checks; msw reads them as `Response`s.
 */
const answers = Object.assign(
  (status: number | string) => {
    const statusOf = (init: AnswerInit | undefined) => init?.status ?? Number(status);
    return {
      json: (body: unknown, init?: AnswerInit): MockAnswer =>
        jsonAnswer(body, statusOf(init), headersOf(init)),
      text: (body: string, init?: AnswerInit): MockAnswer =>
        textAnswer(body, statusOf(init), "text/plain", headersOf(init)),
      empty: (init?: AnswerInit): MockAnswer => emptyAnswer(statusOf(init), headersOf(init)),
    };
  },
  { untyped: (response: Response) => response },
);

/** msw's resolver arguments for an `http` handler (the HTTP server's, with a `MockRequest`). */
interface MswInfo {
  request: MockRequest;
  requestId: string;
  params: Record<string, unknown>;
  cookies: Record<string, string>;
}

/** What a spec handler's resolver is called with: msw's arguments and the `response` helper. */
class SpecInfo {
  readonly request: MockRequest;
  readonly requestId: string;
  readonly params: Record<string, unknown>;
  readonly response = answers;
  readonly #info: MswInfo;

  constructor(info: MswInfo) {
    this.request = info.request;
    this.requestId = info.requestId;
    this.params = info.params;
    this.#info = info;
  }

  /** Read from msw's arguments only when a resolver asks (the mock's HTTP server parses them then). */
  get cookies(): Record<string, string> {
    return this.#info.cookies;
  }
}

/** `{order_uuid}` (the spec's template) as msw's `:order_uuid`, under `baseUrl`. */
function mswPath(baseUrl: string, path: string): string {
  return baseUrl + path.replaceAll("{", ":").replaceAll("}", "");
}

/** The handlers made here: their resolvers read a request only as a `MockRequest`. */
const specHandlers = new WeakSet<HttpHandler>();

/**
 * Whether `handler` was made by a `createSpecHttp` helper, so its resolver may be given a
 * `MockRequest` (the HTTP server's `ServerRequest`) rather than a fetch `Request`.
 */
export function takesMockRequest(handler: unknown): boolean {
  return specHandlers.has(handler as HttpHandler);
}

export function createSpecHttp<Paths extends AnyApiSpec>(options: {
  baseUrl: string;
}): SpecHttp<Paths> {
  const handler =
    (method: "get" | "post") => (path: string, resolver: (info: SpecInfo) => unknown) => {
      const made = http[method](
        mswPath(options.baseUrl, path),
        (info) => resolver(new SpecInfo(info as MswInfo)) as never,
      );
      specHandlers.add(made);
      return made;
    };
  return {
    get: handler("get") as unknown as SpecHandler<Paths, "get">,
    post: handler("post") as unknown as SpecHandler<Paths, "post">,
  };
}
