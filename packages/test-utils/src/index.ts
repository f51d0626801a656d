/**
 * Helpers the refundkit packages' tests share (a private workspace package, never published):
 * one msw server per test file, one way to record what a client put on the wire, the checks the
 * provider packages' tests share (a rejection's error, a table of error answers, the spec's
 * examples) and, in token-auth.ts, the token scenarios every token-endpoint provider runs.
 */

import { readFileSync } from "node:fs";
import { HttpResponse, http, type JsonBodyType, type RequestHandler } from "msw";
import { type SetupServer, setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";

/** One request as it went out: what the wire tests assert on. Header names are lower case. */
export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as text ("" when there is none). */
  body: string;
}

/** Reads a request into a CapturedRequest without consuming it (the body is read from a clone). */
export async function captureRequest(request: Request): Promise<CapturedRequest> {
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body: request.body === null ? "" : await request.clone().text(),
  };
}

/**
 * One msw server for the calling test file: listening before the first test, with any request no
 * handler answers failing the test, handlers added by `server.use` dropped after each test, closed
 * after the last one.
 */
export function useMswServer(...handlers: RequestHandler[]): SetupServer {
  const server = setupServer(...handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** How a capturing handler answers: a fixed Response factory, or one that sees the request. */
export type Responder = (request: Request, seen: readonly CapturedRequest[]) => Response;

/**
 * Adds (`server.use`) a handler for every method on `url` (an msw path pattern such as
 * `https://api.example/v2/order/*`) that records each request and answers with `respond`.
 * Returns the list it records into, in arrival order.
 */
export function captureRequests(
  server: SetupServer,
  url: string,
  respond: Responder,
): CapturedRequest[] {
  const seen: CapturedRequest[] = [];
  server.use(
    http.all(url, async ({ request }) => {
      seen.push(await captureRequest(request));
      return respond(request, seen);
    }),
  );
  return seen;
}

/**
 * A fetch that records every request it is given (each attempt, each token call) and passes it
 * on to `fetch` (by default the global one, so msw or a real server answers).
 */
export function recordingFetch(
  into: CapturedRequest[],
  fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init),
): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    into.push(await captureRequest(request));
    return fetch(request);
  };
}
export * from "./token-auth.js";

/** The Authorization header of each captured request ("<none>" when absent). */
export const authorizations = (seen: readonly CapturedRequest[]): string[] =>
  seen.map((request) => request.headers.authorization ?? "<none>");

/**
 * Calls `fn` and returns what it threw when `is` accepts it (such as core's isRefundError);
 * rethrows anything else, and fails when `fn` returns.
 */
export function thrownBy<E>(fn: () => unknown, is: (error: unknown) => error is E): E {
  try {
    fn();
  } catch (error) {
    if (is(error)) return error;
    throw error;
  }
  throw new Error("expected a throw, got a return");
}

/**
 * What `promise` rejected with, checked to be an instance of `type` (such as core's RefundError);
 * fails when the promise resolves.
 */
export async function rejectionOf<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) {
    throw new Error(`expected a rejection, got a result: ${JSON.stringify(outcome.value)}`);
  }
  expect(outcome.error).toBeInstanceOf(type);
  return outcome.error as E;
}

/** A documented example body from specs/<provider>/examples/<name>, parsed. */
export const specExample = (provider: string, name: string): JsonBodyType =>
  JSON.parse(
    readFileSync(new URL(`../../../specs/${provider}/examples/${name}`, import.meta.url), "utf8"),
  );

/** An answer with `status`: `body` as text when it is a string, as JSON otherwise. */
export const answerWith = (status: number, body: JsonBodyType): Response =>
  typeof body === "string"
    ? new HttpResponse(body, { status })
    : HttpResponse.json(body, { status });

/** `[title, HTTP status, the provider's body, the RefundError code, retryable]`. */
export type ErrorAnswerRow = [string, number, JsonBodyType, string, boolean];

/**
 * One test per row: the refund endpoint `url` answers the row's status and body, and `refund()`
 * rejects with a `type` error (core's RefundError) carrying the row's code, status, retryable,
 * `provider` and the body as `raw`.
 */
export function errorAnswerCases(
  server: SetupServer,
  options: {
    url: string;
    provider: string;
    refund: () => Promise<unknown>;
    type: abstract new (...args: never[]) => Error;
    rows: ErrorAnswerRow[];
  },
): void {
  it.each(options.rows)("%s", async (_title, status, body, code, retryable) => {
    server.use(http.post(options.url, () => answerWith(status, body)));
    const error = await rejectionOf(options.refund(), options.type);
    expect(error).toMatchObject({ code, status, retryable, provider: options.provider, raw: body });
  });
}

/**
 * A POST endpoint (`url`, an msw pattern) whose answer each test sets: `answer(make)` adds
 * (`server.use`) a handler that counts the request and answers `make()`; `calls` is the count
 * since the test began (reset after each test).
 */
export function countedAnswers(server: SetupServer, url: string) {
  let calls = 0;
  afterEach(() => {
    calls = 0;
  });
  return {
    answer(make: () => Response | Promise<Response>): void {
      server.use(
        http.post(url, () => {
          calls += 1;
          return make();
        }),
      );
    },
    get calls(): number {
      return calls;
    },
  };
}

/** `[title, the input, the RefundError code it must get]`. */
export type BadInputRow<Input> = [string, Input, string];

/**
 * One test per row (named by `name`, "%s" the row's title): `refund(input)` rejects with a
 * `type` error (core's RefundError) carrying the row's code and no HTTP status, and no request
 * goes out to any URL.
 */
export function badInputCases<Input>(
  server: SetupServer,
  options: {
    name?: string;
    refund: (input: Input) => Promise<unknown>;
    type: abstract new (...args: never[]) => Error;
    rows: BadInputRow<Input>[];
  },
): void {
  it.each(options.rows)(options.name ?? "%s", async (_title, input, code) => {
    let sent = 0;
    server.use(
      http.all("*", () => {
        sent += 1;
        return HttpResponse.json({});
      }),
    );
    const error = await rejectionOf(options.refund(input), options.type);
    expect(error).toMatchObject({ code, status: null });
    expect(sent).toBe(0);
  });
}
