import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RefundError } from "../src/errors.js";
import { createResilientFetch, parseRetryAfter } from "../src/resilient-fetch.js";

const byRequestId = (request: Request) => request.headers.has("sezzle-request-id");
const noSleep = () => vi.fn((_ms: number, _signal: AbortSignal) => Promise.resolve());

function refundRequest(url: string, requestId?: string, init: RequestInit = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: "Bearer sk_live_topsecret",
      ...(requestId === undefined ? {} : { "sezzle-request-id": requestId }),
    },
    body: JSON.stringify({ amount: { amount_in_cents: 2498, currency: "USD" } }),
    ...init,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("with msw (default fetch looked up at call time)", () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const URL_ = "https://gateway.example.com/v2/order/ord_1/refund";

  function sequence(...responses: (() => Response)[]) {
    const seen: { body: string; requestId: string | null }[] = [];
    server.use(
      http.post(URL_, async ({ request }) => {
        seen.push({
          body: await request.text(),
          requestId: request.headers.get("sezzle-request-id"),
        });
        const next = responses[Math.min(seen.length - 1, responses.length - 1)];
        return next?.() ?? new Response(null, { status: 599 });
      }),
    );
    return seen;
  }

  it("retries 500, 500 then returns the 200, sending the same bytes and id each time", async () => {
    const seen = sequence(
      () => new HttpResponse("oops", { status: 500 }),
      () => new HttpResponse("oops", { status: 500 }),
      () => HttpResponse.json({ uuid: "rf_1" }),
    );
    const sleep = noSleep();
    const onRetry = vi.fn();
    const fetch = createResilientFetch({
      provider: "sezzle",
      isIdempotent: byRequestId,
      sleep,
      onRetry,
    });
    const response = await fetch(refundRequest(URL_, "req-1"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ uuid: "rf_1" });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
    expect(seen[0]?.body).toBe('{"amount":{"amount_in_cents":2498,"currency":"USD"}}');
    expect(seen.every((s) => s.requestId === "req-1")).toBe(true);
    // Equal jitter: [150, 300) then [300, 600).
    expect(sleep).toHaveBeenCalledTimes(2);
    const [first, second] = sleep.mock.calls.map((call) => call[0]);
    expect(first).toBeGreaterThanOrEqual(150);
    expect(first).toBeLessThan(300);
    expect(second).toBeGreaterThanOrEqual(300);
    expect(second).toBeLessThan(600);
    expect(onRetry.mock.calls.map((call) => call.slice(0, 2))).toEqual([
      [1, { kind: "status", status: 500 }],
      [2, { kind: "status", status: 500 }],
    ]);
    expect(JSON.stringify(onRetry.mock.calls)).not.toContain("topsecret");
  });

  it("backs off exponentially up to maxMs", async () => {
    sequence(() => new HttpResponse(null, { status: 503 }));
    const random = vi.spyOn(Math, "random").mockReturnValue(0.999);
    try {
      const sleep = noSleep();
      const fetch = createResilientFetch({
        provider: "sezzle",
        isIdempotent: byRequestId,
        sleep,
        maxRetries: 5,
        backoff: { baseMs: 100, maxMs: 1000 },
      });
      const response = await fetch(refundRequest(URL_, "req-2"));
      expect(response.status).toBe(503);
      expect(sleep.mock.calls.map((call) => call[0])).toEqual([99, 199, 399, 799, 999]);
    } finally {
      random.mockRestore();
    }
  });

  it("waits Retry-After seconds on a 429", async () => {
    const seen = sequence(
      () => new HttpResponse(null, { status: 429, headers: { "retry-after": "1" } }),
      () => HttpResponse.json({ uuid: "rf_2" }),
    );
    const sleep = noSleep();
    const fetch = createResilientFetch({ provider: "sezzle", isIdempotent: byRequestId, sleep });
    expect((await fetch(refundRequest(URL_, "req-3"))).status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(sleep).toHaveBeenCalledOnce();
    expect(sleep.mock.calls[0]?.[0]).toBe(1000);
  });

  it("waits until a Retry-After HTTP-date", async () => {
    const at = new Date(Date.now() + 5_000).toUTCString();
    sequence(
      () => new HttpResponse(null, { status: 503, headers: { "retry-after": at } }),
      () => HttpResponse.json({ uuid: "rf_3" }),
    );
    const sleep = noSleep();
    const fetch = createResilientFetch({ provider: "sezzle", isIdempotent: byRequestId, sleep });
    expect((await fetch(refundRequest(URL_, "req-4"))).status).toBe(200);
    const waited = sleep.mock.calls[0]?.[0] ?? -1;
    // HTTP-dates have whole seconds.
    expect(waited).toBeGreaterThan(3_900);
    expect(waited).toBeLessThanOrEqual(5_000);
  });

  it("returns the response instead of waiting past maxRetryAfterMs", async () => {
    const seen = sequence(
      () => new HttpResponse("slow down", { status: 429, headers: { "retry-after": "120" } }),
    );
    const sleep = noSleep();
    const fetch = createResilientFetch({ provider: "sezzle", isIdempotent: byRequestId, sleep });
    const response = await fetch(refundRequest(URL_, "req-5"));
    expect(response.status).toBe(429);
    expect(await response.text()).toBe("slow down");
    expect(seen).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it("never retries a 503 or 429 for a request without an idempotency handle", async () => {
    for (const status of [503, 429, 500]) {
      const seen = sequence(
        () => new HttpResponse(null, { status, headers: { "retry-after": "0" } }),
      );
      const fetch = createResilientFetch({
        provider: "sezzle",
        isIdempotent: byRequestId,
        sleep: noSleep(),
      });
      expect((await fetch(refundRequest(URL_))).status).toBe(status);
      expect(seen).toHaveLength(1);
      server.resetHandlers();
    }
  });

  it("does not retry other statuses even when idempotent", async () => {
    for (const status of [400, 401, 404, 409, 422, 501]) {
      const seen = sequence(() => new HttpResponse(null, { status }));
      const fetch = createResilientFetch({
        provider: "sezzle",
        isIdempotent: byRequestId,
        sleep: noSleep(),
      });
      expect((await fetch(refundRequest(URL_, "req-6"))).status).toBe(status);
      expect(seen).toHaveLength(1);
      server.resetHandlers();
    }
  });
});

describe("with a fake fetch", () => {
  const URL_ = "https://api.example.com/orders/o1/refund";

  it("returns the last response when retries run out and cancels the discarded bodies", async () => {
    const cancelled: number[] = [];
    let calls = 0;
    const fakeFetch = vi.fn(async () => {
      const attempt = ++calls;
      const body = new ReadableStream({
        cancel: () => {
          cancelled.push(attempt);
        },
      });
      return new Response(body, { status: 502 });
    });
    const fetch = createResilientFetch({
      provider: "optty",
      fetch: fakeFetch,
      isIdempotent: () => true,
      maxRetries: 2,
      sleep: noSleep(),
    });
    const response = await fetch(URL_, { method: "POST", body: "{}" });
    expect(response.status).toBe(502);
    expect(fakeFetch).toHaveBeenCalledTimes(3);
    expect(cancelled).toEqual([1, 2]);
  });

  it("decides idempotency from the body (async) and retries a provider's own 'try again' answer", async () => {
    const sent: string[] = [];
    const answers = [
      () => Response.json({ message: "Initial request is still processing." }, { status: 400 }),
      () => Response.json({ id: "order" }, { status: 200 }),
    ];
    const fakeFetch = vi.fn(async (request: Request) => {
      sent.push(await request.text());
      return answers[Math.min(sent.length, answers.length) - 1]!();
    });
    const fetch = createResilientFetch({
      provider: "moyasar",
      fetch: fakeFetch as unknown as typeof globalThis.fetch,
      isIdempotent: async (request) => (await request.text()).includes("transaction_id"),
      isRetryableResponse: async (response) =>
        response.status === 400 && (await response.text()).includes("still processing"),
      sleep: noSleep(),
    });
    const response = await fetch(URL_, { method: "POST", body: '{"transaction_id":"t1"}' });
    expect(response.status).toBe(200);
    expect(sent).toEqual(['{"transaction_id":"t1"}', '{"transaction_id":"t1"}']);

    // Without the handle the same answer is final: the first request may be the one in flight.
    sent.length = 0;
    const final = await fetch(URL_, { method: "POST", body: '{"amount":1}' });
    expect(final.status).toBe(400);
    expect(await final.json()).toEqual({ message: "Initial request is still processing." });
    expect(sent).toHaveLength(1);
  });

  it("retries a connection refused before sending even without an idempotency handle", async () => {
    const refused = () =>
      Promise.reject(
        new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), {
            code: "ECONNREFUSED",
          }),
        }),
      );
    const fakeFetch = vi
      .fn<typeof globalThis.fetch>()
      .mockImplementationOnce(refused)
      .mockResolvedValue(new Response("{}"));
    const onRetry = vi.fn();
    const fetch = createResilientFetch({
      provider: "optty",
      fetch: fakeFetch,
      isIdempotent: () => false,
      sleep: noSleep(),
      onRetry,
    });
    expect((await fetch(URL_, { method: "POST", body: "{}" })).status).toBe(200);
    expect(fakeFetch).toHaveBeenCalledTimes(2);
    expect(onRetry.mock.calls[0]?.[1]).toEqual({ kind: "not_sent", code: "ECONNREFUSED" });
  });

  it("finds the code in nested causes and AggregateErrors", async () => {
    const nested = new TypeError("fetch failed", {
      cause: new AggregateError(
        [Object.assign(new Error("x"), { code: "EHOSTUNREACH" })],
        "all failed",
      ),
    });
    const fakeFetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(nested);
    const fetch = createResilientFetch({
      provider: "moyasar",
      fetch: fakeFetch,
      isIdempotent: () => false,
      maxRetries: 1,
      sleep: noSleep(),
    });
    const error = await rejection(fetch(URL_, { method: "POST", body: "{}" }));
    expect(fakeFetch).toHaveBeenCalledTimes(2);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({
      code: "network_error",
      retryable: true,
      status: null,
      cause: nested,
    });
  });

  it("names the first code found, a never-sent code anywhere winning; a cyclic cause chain ends", async () => {
    const classify = async (failure: unknown) => {
      const onRetry = vi.fn();
      const fetch = createResilientFetch({
        provider: "moyasar",
        fetch: vi.fn<typeof globalThis.fetch>().mockRejectedValue(failure),
        isIdempotent: () => true,
        maxRetries: 1,
        sleep: noSleep(),
        onRetry,
      });
      await rejection(fetch(URL_));
      return onRetry.mock.calls[0]?.[1];
    };
    const coded = (code: string, cause?: unknown) =>
      Object.assign(new Error(code, { cause }), { code });
    expect(await classify(coded("ECONNRESET", coded("EPIPE")))).toEqual({
      kind: "network_error",
      code: "ECONNRESET",
    });
    expect(
      await classify(coded("ECONNRESET", new AggregateError([coded("EPIPE"), coded("ENOTFOUND")]))),
    ).toEqual({ kind: "not_sent", code: "ENOTFOUND" });
    const cyclic: Error & { cause?: unknown } = new Error("loop");
    cyclic.cause = new Error("back", { cause: cyclic });
    expect(await classify(cyclic)).toEqual({ kind: "network_error", code: undefined });
    expect(await classify("a string")).toEqual({ kind: "network_error", code: undefined });
  });

  it("says in its message how many attempts were made and why it did not retry", async () => {
    const failing = vi
      .fn<typeof globalThis.fetch>()
      .mockRejectedValue(new TypeError("fetch failed"));
    const build = (idempotent: boolean) =>
      createResilientFetch({
        provider: "levelup",
        fetch: failing,
        isIdempotent: () => idempotent,
        maxRetries: 2,
        sleep: noSleep(),
      });
    const once = (await rejection(build(false)(URL_, { method: "POST", body: "{}" }))) as Error;
    expect(once.message).toBe(
      `levelup: POST ${URL_} failed on the network after 1 attempt; not retried because the provider may have received it and this request has no idempotency handle: ask the provider before sending it again (refunds.reconcile)`,
    );
    const thrice = (await rejection(build(true)(URL_, { method: "POST", body: "{}" }))) as Error;
    expect(thrice.message).toBe(`levelup: POST ${URL_} failed on the network after 3 attempts`);
  });

  it("does not retry an unclassified network failure of a non-idempotent request", async () => {
    const reset = new TypeError("fetch failed", {
      cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    });
    const fakeFetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(reset);
    const fetch = createResilientFetch({
      provider: "levelup",
      fetch: fakeFetch,
      isIdempotent: () => false,
      sleep: noSleep(),
    });
    const error = await rejection(
      fetch(`${URL_}?api_key=sk_query_secret`, { method: "POST", body: "{}" }),
    );
    expect(fakeFetch).toHaveBeenCalledOnce();
    expect(error).toMatchObject({ code: "network_error", retryable: false, provider: "levelup" });
    expect((error as Error).message).toContain("ECONNRESET");
    expect((error as Error).message).not.toContain("sk_query_secret");
  });

  it("rejects at once with the caller's reason when already aborted, without sending", async () => {
    const fakeFetch = vi.fn<typeof globalThis.fetch>();
    const fetch = createResilientFetch({
      provider: "sezzle",
      fetch: fakeFetch,
      isIdempotent: () => true,
    });
    const reason = new Error("user cancelled");
    expect(
      await rejection(
        fetch(URL_, { method: "POST", body: "{}", signal: AbortSignal.abort(reason) }),
      ),
    ).toBe(reason);
    expect(fakeFetch).not.toHaveBeenCalled();
  });

  it("stops during the backoff wait when the caller aborts", async () => {
    const fakeFetch = vi.fn<typeof globalThis.fetch>(
      async () => new Response(null, { status: 503 }),
    );
    const fetch = createResilientFetch({
      provider: "sezzle",
      fetch: fakeFetch,
      isIdempotent: () => true,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
    });
    vi.spyOn(Math, "random").mockReturnValueOnce(0.99);
    const controller = new AbortController();
    const reason = new Error("stop");
    setTimeout(() => controller.abort(reason), 30);
    const started = Date.now();
    expect(
      await rejection(fetch(URL_, { method: "POST", body: "{}", signal: controller.signal })),
    ).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fakeFetch).toHaveBeenCalledOnce();
  });

  it("times out a fetch that ignores its signal", async () => {
    const fakeFetch = vi.fn<typeof globalThis.fetch>(() => new Promise(() => {}));
    const fetch = createResilientFetch({
      provider: "briqpay",
      fetch: fakeFetch,
      isIdempotent: () => false,
      timeoutMs: 50,
    });
    const error = await rejection(fetch(URL_, { method: "POST", body: "{}" }));
    expect(error).toMatchObject({ code: "timeout", retryable: false, status: null });
  });

  it("refuses bad options with RefundError invalid_request naming the option", () => {
    const build = (options: { timeoutMs?: number; maxRetries?: number }) => () =>
      createResilientFetch({ provider: "sezzle", isIdempotent: () => true, ...options });
    for (const options of [
      { timeoutMs: 0 },
      { timeoutMs: Number.NaN },
      { timeoutMs: Number.POSITIVE_INFINITY },
      // Not coerced from text.
      { timeoutMs: "1000" as unknown as number },
      { maxRetries: "2" as unknown as number },
      { maxRetries: -1 },
      { maxRetries: 1.5 },
    ]) {
      let thrown: unknown;
      try {
        build(options)();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RefundError);
      expect(thrown).toMatchObject({ code: "invalid_request", provider: "sezzle" });
      expect((thrown as Error).message).toContain(Object.keys(options)[0]);
    }
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP-dates", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("against a real local HTTP server", () => {
  type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;
  let server: Server;
  let handler: Handler;
  let requests: { body: string; requestId: string | undefined }[];
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const index = requests.length;
        const requestId = request.headers["sezzle-request-id"];
        requests.push({
          body: Buffer.concat(chunks).toString(),
          requestId: typeof requestId === "string" ? requestId : undefined,
        });
        handler(request, response, index);
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    requests = [];
    server.closeAllConnections();
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  });
  requests = [];

  const resetAfterReading: Handler = (request) => request.socket.destroy();

  it("does not retry a reset after the server read the body, without an idempotency handle", async () => {
    handler = resetAfterReading;
    const fetch = createResilientFetch({
      provider: "sezzle",
      isIdempotent: byRequestId,
      sleep: noSleep(),
    });
    const error = await rejection(fetch(refundRequest(`${baseUrl}/v2/order/o1/refund`)));
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({ code: "network_error", retryable: false, status: null });
    expect((error as RefundError).cause).toBeInstanceOf(TypeError);
    expect((error as Error).message).not.toContain("topsecret");
    expect(JSON.stringify(error)).not.toContain("topsecret");
  });

  it("retries a reset for an idempotent request, with the same id and bytes", async () => {
    handler = (request, response, index) => {
      if (index === 0) return request.socket.destroy();
      response.writeHead(200, { "content-type": "application/json" }).end('{"uuid":"rf_9"}');
    };
    const fetch = createResilientFetch({
      provider: "sezzle",
      isIdempotent: byRequestId,
      sleep: noSleep(),
    });
    const response = await fetch(refundRequest(`${baseUrl}/v2/order/o1/refund`, "req-9"));
    expect(await response.json()).toEqual({ uuid: "rf_9" });
    expect(requests).toHaveLength(2);
    expect(requests[0]).toEqual(requests[1]);
    expect(requests[0]?.requestId).toBe("req-9");
  });

  it("times out a hanging server per attempt: RefundError timeout", async () => {
    handler = () => {};
    const fetch = createResilientFetch({
      provider: "sezzle",
      isIdempotent: byRequestId,
      timeoutMs: 100,
      maxRetries: 1,
      sleep: noSleep(),
    });
    const started = Date.now();
    const error = await rejection(fetch(refundRequest(`${baseUrl}/v2/order/o1/refund`, "req-10")));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({
      code: "timeout",
      retryable: true,
      status: null,
      provider: "sezzle",
    });

    requests = [];
    const once_ = createResilientFetch({
      provider: "sezzle",
      isIdempotent: byRequestId,
      timeoutMs: 100,
      sleep: noSleep(),
    });
    const notRetried = await rejection(once_(refundRequest(`${baseUrl}/v2/order/o1/refund`)));
    expect(requests).toHaveLength(1);
    expect(notRetried).toMatchObject({ code: "timeout", retryable: false });
  });

  it("the timeout also covers a body that stops arriving", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"uuid":');
    };
    const fetch = createResilientFetch({
      provider: "sezzle",
      isIdempotent: byRequestId,
      timeoutMs: 150,
    });
    const response = await fetch(refundRequest(`${baseUrl}/v2/order/o1/refund`, "req-11"));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("the caller's abort stops a hanging request at once with the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    // Abort once the server holds the request and will never answer.
    handler = () => setTimeout(() => controller.abort(reason), 20);
    const fetch = createResilientFetch({ provider: "sezzle", isIdempotent: byRequestId });
    const started = Date.now();
    const error = await rejection(
      fetch(
        refundRequest(`${baseUrl}/v2/order/o1/refund`, "req-12", { signal: controller.signal }),
      ),
    );
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requests).toHaveLength(1);
  });

  it("retries a real ECONNREFUSED (never sent) even without an idempotency handle", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const onRetry = vi.fn();
    const fetch = createResilientFetch({
      provider: "sezzle",
      isIdempotent: byRequestId,
      sleep: noSleep(),
      onRetry,
    });
    const error = await rejection(
      fetch(refundRequest(`http://127.0.0.1:${port}/v2/order/o1/refund`)),
    );
    expect(onRetry).toHaveBeenCalledTimes(2);
    expect(onRetry.mock.calls[0]?.[1]).toEqual({ kind: "not_sent", code: "ECONNREFUSED" });
    expect(error).toMatchObject({ code: "network_error", retryable: true, status: null });
    expect((error as Error).message).toContain("ECONNREFUSED");
  });
});
