import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createKeepAliveFetch, defaultFetch } from "../src/internal/node-fetch.js";
import { LeanRequest } from "../src/outgoing-request.js";
import { createResilientFetch } from "../src/resilient-fetch.js";

let server: Server;
let base: string;
const seen: {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  hex: string;
}[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const bytes = Buffer.concat(chunks);
      const body = bytes.toString("utf8");
      const hex = bytes.toString("hex");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, hex });
      // Busy on every first request of a path: 503 with Retry-After 0, then answered.
      if (req.url?.startsWith("/busy") && seen.filter((s) => s.url === req.url).length === 1) {
        res.writeHead(503, { "Retry-After": "0" }).end("busy");
        return;
      }
      if (req.url === "/empty") {
        res.writeHead(204).end();
        return;
      }
      if (req.url === "/hang") return;
      if (req.url === "/stall" || req.url === "/cut") {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
        res.write('{"uuid":');
        if (req.url === "/cut") setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (req.url === "/moved") {
        res.writeHead(307, { Location: "/elsewhere" }).end();
        return;
      }
      res.writeHead(201, { "Content-Type": "application/json", "X-Twice": ["a", "b"] });
      res.end(JSON.stringify({ echo: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const fetchImpl = createKeepAliveFetch({ maxSockets: 2 });

describe("createKeepAliveFetch", () => {
  it("sends a Request's method, headers and body; init's body and headers replace the Request's", async () => {
    const request = new Request(`${base}/refund?x=1`, {
      method: "POST",
      headers: { "X-Key": "k1", "Content-Type": "application/json" },
      body: "ignored",
    });
    const response = await fetchImpl(request, { body: '{"amount":1}' });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(await response.json()).toEqual({ echo: '{"amount":1}' });
    const last = seen.at(-1);
    expect(last).toMatchObject({ method: "POST", url: "/refund?x=1", body: '{"amount":1}' });
    expect(last?.headers["x-key"]).toBe("k1");
    expect(last?.headers["content-length"]).toBe("12");

    await fetchImpl(request.clone(), {
      headers: { "X-Other": "o" },
      body: new Uint8Array([104, 105]),
    });
    expect(seen.at(-1)?.headers["x-key"]).toBeUndefined();
    expect(seen.at(-1)?.headers["x-other"]).toBe("o");
    expect(seen.at(-1)?.body).toBe("hi");

    // The Request's own body when init has none; a URL and init as fetch takes them.
    await fetchImpl(new Request(`${base}/a`, { method: "PUT", body: "own" }));
    expect(seen.at(-1)).toMatchObject({ method: "PUT", body: "own" });
    await fetchImpl(`${base}/b`, { method: "POST", body: new URLSearchParams({ a: "1" }) });
    expect(seen.at(-1)?.body).toBe("a=1");
    expect(seen.at(-1)?.headers["content-type"]).toMatch(/x-www-form-urlencoded/);
  });

  it("answers with a Response read from bytes: headers, one read of the body, clones, streams", async () => {
    const response = await fetchImpl(`${base}/x`, { method: "POST", body: "b" });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-twice")).toBe("a, b");
    const clone = response.clone();
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toBe('{"echo":"b"}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
    expect(new TextDecoder().decode(await clone.arrayBuffer())).toBe('{"echo":"b"}');

    const streamed = await fetchImpl(`${base}/y`, { method: "POST", body: "s" });
    const body = streamed.body;
    expect(body).not.toBeNull();
    expect(await new Response(body).text()).toBe('{"echo":"s"}');
    await expect(streamed.json()).rejects.toThrow(TypeError);

    const empty = await fetchImpl(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe("");
  });

  it("rejects with the signal's reason when aborted, and as fetch does when nothing answers", async () => {
    const controller = new AbortController();
    const pending = fetchImpl(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 50);
    await expect(pending).rejects.toThrow("stop");

    const refused = await fetchImpl("http://127.0.0.1:1/x").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe("fetch failed");
    expect(((refused as TypeError).cause as { code?: string }).code).toBe("ECONNREFUSED");
  });
});

describe("createKeepAliveFetch answers", () => {
  it("resolves at the status line; a stalled body rejects its read with the signal's reason", async () => {
    const controller = new AbortController();
    const response = await fetchImpl(`${base}/stall`, {
      method: "POST",
      body: "x",
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("100");
    const read = response.text();
    setTimeout(() => controller.abort(new Error("attempt timed out")), 30);
    await expect(read).rejects.toThrow("attempt timed out");
  });

  it("a body cut mid-way rejects its read as fetch does, after the response resolved", async () => {
    const response = await fetchImpl(`${base}/cut`, { method: "POST", body: "x" });
    expect(response.ok).toBe(true);
    const error = await response.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe("fetch failed");
  });

  it("returns a redirect as is, never re-sending the request elsewhere", async () => {
    const before = seen.length;
    const response = await fetchImpl(`${base}/moved`, { method: "POST", body: "x" });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/elsewhere");
    expect(response.url).toBe(`${base}/moved`);
    expect(seen.length).toBe(before + 1);
  });

  it("sends Accept and User-Agent as fetch does, unless the request sets them", async () => {
    await fetchImpl(`${base}/h`, { method: "POST", body: "x" });
    expect(seen.at(-1)?.headers).toMatchObject({ accept: "*/*", "user-agent": "node" });
    await fetchImpl(`${base}/h`, {
      method: "POST",
      body: "x",
      headers: { Accept: "application/json", "User-Agent": "mine" },
    });
    expect(seen.at(-1)?.headers).toMatchObject({
      accept: "application/json",
      "user-agent": "mine",
    });
  });

  it("does not send on a connection the server has just closed", async () => {
    const first = await fetchImpl(`${base}/c`, { method: "POST", body: "1" });
    await first.text();
    // The server drops its idle connections; the next request must go out on a fresh one.
    server.closeAllConnections();
    const second = await fetchImpl(`${base}/c`, { method: "POST", body: "2" });
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual({ echo: "2" });
  });
});

describe("defaultFetch", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it("is the keep-alive fetch while globalThis.fetch is Node's own, else the replacement", async () => {
    const keepAlive = defaultFetch();
    expect(keepAlive).not.toBe(globalThis.fetch);
    expect(defaultFetch()).toBe(keepAlive);
    const response = await keepAlive(`${base}/d`, { method: "POST", body: "d" });
    expect(await response.json()).toEqual({ echo: "d" });

    const stub = vi.fn<typeof globalThis.fetch>();
    vi.stubGlobal("fetch", stub);
    expect(defaultFetch()).toBe(stub);
    vi.unstubAllGlobals();
    expect(defaultFetch()).toBe(keepAlive);

    // An environment proxy applies to Node's fetch only: keep it then (read at start-up).
    vi.stubEnv("NODE_USE_ENV_PROXY", "1");
    vi.resetModules();
    const withProxy = await import("../src/internal/node-fetch.js");
    expect(withProxy.defaultFetch()).toBe(globalThis.fetch);
  });
});

describe("createKeepAliveFetch body", () => {
  it("taking the body stream without reading it leaves the body to the methods", async () => {
    const response = await fetchImpl(`${base}/z`, { method: "POST", body: "t" });
    expect(response.body).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toBe('{"echo":"t"}');
  });
});

describe("refundkit's own calls (LeanRequest) through the resilient fetch", () => {
  const lean = (path: string) =>
    new LeanRequest(`${base}${path}`, {
      method: "POST",
      headers: new Headers({ "content-type": "application/json", "x-key": "k-lean" }),
      body: '{"amount":1}',
    }) as unknown as Request;
  const transport = (fetch: typeof globalThis.fetch) =>
    createResilientFetch({
      provider: "sezzle",
      fetch,
      timeoutMs: 150,
      maxRetries: 0,
      isIdempotent: () => false,
    });

  it("is a Request whose other members come from a real one, body included", async () => {
    const request = lean("/x");
    expect(request).toBeInstanceOf(Request);
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(await request.clone().text()).toBe('{"amount":1}');
    expect(request.bodyUsed).toBe(false);
    expect(await request.json()).toEqual({ amount: 1 });
    expect(request.bodyUsed).toBe(true);
    // Its own URL, method and headers (the very Headers it was given), the rest from the real one.
    expect([request.url, request.method, request.headers.get("x-key")]).toEqual([
      `${base}/x`,
      "POST",
      "k-lean",
    ]);
    expect([request.redirect, request.cache, String(request)]).toEqual([
      "follow",
      "default",
      "[object Request]",
    ]);
  });

  it("goes out over node:http as it is: method, path, headers, kept body", async () => {
    const response = await transport(fetchImpl)(lean("/lean?q=1"));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ echo: '{"amount":1}' });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/lean?q=1", body: '{"amount":1}' });
    expect(seen.at(-1)?.headers["x-key"]).toBe("k-lean");
  });

  it("still times out per attempt without a signal: no answer, or a 2xx body that stalls", async () => {
    // The attempt's failure destroys the request itself: the server sees the connection close.
    const closed = new Promise<void>((resolve) =>
      server.once("request", (req: IncomingMessage) => req.socket.once("close", () => resolve())),
    );
    await expect(transport(fetchImpl)(lean("/hang"))).rejects.toMatchObject({ code: "timeout" });
    await closed;
    const stalled = await transport(fetchImpl)(lean("/stall"));
    expect(stalled.status).toBe(200);
    await expect(stalled.text()).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("reads the answer without building its Headers or another Response (the per-refund cost)", async () => {
    const RealHeaders = globalThis.Headers;
    const built = vi.fn();
    class CountedHeaders extends RealHeaders {
      constructor(init?: HeadersInit) {
        super(init);
        built();
      }
    }
    const request = lean("/lean");
    globalThis.Headers = CountedHeaders;
    try {
      const response = await transport(fetchImpl)(request);
      expect(await response.text()).toBe(JSON.stringify({ echo: '{"amount":1}' }));
    } finally {
      globalThis.Headers = RealHeaders;
    }
    expect(built).not.toHaveBeenCalled();
  });

  it("reaches any other fetch as a real Request, the kept body in init", async () => {
    const given: { input: Request; init: RequestInit | undefined }[] = [];
    const userFetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      given.push({ input: input as Request, init });
      // What msw and Node's own fetch do with it: undici accepts it as a Request.
      const copy = new Request(input, init);
      return Response.json({ echo: await copy.text(), key: copy.headers.get("x-key") });
    });
    const response = await transport(userFetch as typeof globalThis.fetch)(lean("/mine"));
    expect(await response.json()).toEqual({ echo: '{"amount":1}', key: "k-lean" });
    expect(given[0]?.input).not.toBeInstanceOf(LeanRequest);
    expect(given[0]?.input.url).toBe(`${base}/mine`);
    expect(given[0]?.init?.body).toBe('{"amount":1}');
  });
});

describe("any other request through the resilient fetch over node:http", () => {
  const transport = createResilientFetch({
    provider: "moyasar",
    fetch: fetchImpl,
    timeoutMs: 1_000,
    isIdempotent: () => true,
  });
  // Not UTF-8: the bytes must go out as given, never through a text decoding.
  const binary = new Uint8Array([0xff, 0x00, 0x80, 0x7b]);

  it("reads a URL and init once and sends the same bytes and headers on every attempt", async () => {
    const response = await transport(`${base}/busy-init`, {
      method: "PUT",
      headers: { "x-key": "k-init" },
      body: binary,
    });
    expect(response.status).toBe(201);
    const sent = seen.filter((s) => s.url === "/busy-init");
    expect(sent.map((s) => [s.method, s.hex, s.headers["x-key"]])).toEqual([
      ["PUT", "ff00807b", "k-init"],
      ["PUT", "ff00807b", "k-init"],
    ]);
  });

  it("reads a Request built elsewhere, a stream body included, and keeps the caller's signal", async () => {
    const caller = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(binary.subarray(0, 2));
        controller.enqueue(binary.subarray(2));
        controller.close();
      },
    });
    const request = new Request(`${base}/busy-request`, {
      method: "POST",
      headers: { "x-key": "k-request" },
      body: stream,
      duplex: "half",
      signal: caller.signal,
    } as RequestInit);
    const response = await transport(request);
    expect(await response.text()).toContain("echo");
    const sent = seen.filter((s) => s.url === "/busy-request");
    expect(sent.map((s) => [s.method, s.hex, s.headers["x-key"]])).toEqual([
      ["POST", "ff00807b", "k-request"],
      ["POST", "ff00807b", "k-request"],
    ]);
    // The caller's signal, kept in the Request given, still stops a call.
    caller.abort(new Error("shutting down"));
    const before = seen.length;
    await expect(transport(new Request(`${base}/x`, { signal: caller.signal }))).rejects.toThrow(
      "shutting down",
    );
    expect(seen).toHaveLength(before);
  });
});
