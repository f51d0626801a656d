import { request as httpRequest } from "node:http";
import { getResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockHandlers, type MockServer, startMockServer } from "../src/index.js";
import { ServerRequest } from "../src/request.js";

// Over HTTP the handlers get a ServerRequest (src/request.ts), not a fetch Request: it must read
// as the Request msw would build from the same bytes, and requests must route as msw routes them.

describe("ServerRequest", () => {
  const raw = [
    "Host",
    "127.0.0.1:1",
    "Content-Type",
    "application/json",
    "X-Twice",
    "a",
    "x-twice",
    "b",
  ];
  const bytes = new TextEncoder().encode('\uFEFF{"amount":1,"note":"é"}');

  it("reads header fields and the body as a fetch Request built from the same bytes", async () => {
    const request = new ServerRequest("http://127.0.0.1:1/p?q=1", "POST", raw, bytes);
    const fetchRequest = new Request("http://127.0.0.1:1/p?q=1", {
      method: "POST",
      headers: [
        ["Content-Type", "application/json"],
        ["X-Twice", "a"],
        ["x-twice", "b"],
      ],
      body: bytes,
    });
    for (const name of ["content-type", "CONTENT-TYPE", "x-twice", "authorization"]) {
      expect(request.headers.get(name), name).toBe(fetchRequest.headers.get(name));
    }
    expect(request.url).toBe(fetchRequest.url);
    expect(request.method).toBe(fetchRequest.method);
    expect(await request.text()).toBe(await fetchRequest.text());
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
    expect(await new ServerRequest("http://h/", "POST", [], undefined).text()).toBe("");
  });

  it("toRequest() is the same request as a fetch Request, aborted with it", async () => {
    const request = new ServerRequest("http://127.0.0.1:1/p", "POST", raw, bytes);
    const copy = request.toRequest();
    expect(copy).toBeInstanceOf(Request);
    expect(request.toRequest()).toBe(copy);
    expect(copy.url).toBe("http://127.0.0.1:1/p");
    expect(copy.headers.get("x-twice")).toBe("a, b");
    expect(JSON.parse(await copy.text())).toEqual({ amount: 1, note: "é" });
    const signal = request.signal;
    expect(signal.aborted).toBe(false);
    request.abort();
    expect(signal.aborted).toBe(true);
    expect(copy.signal.aborted).toBe(true);
  });

  it("asks the server to watch the client once, when a handler first takes the signal", () => {
    let watched = 0;
    const request = new ServerRequest("http://h/", "GET", [], undefined, () => watched++);
    expect(watched).toBe(0);
    void request.signal;
    void request.signal;
    expect(watched).toBe(1);
    const gone = new ServerRequest("http://h/", "GET", [], undefined, () => watched++);
    gone.abort();
    expect(gone.signal.aborted).toBe(true);
    expect(watched).toBe(1);
  });
});

describe("the HTTP server's requests", () => {
  // One time for the server and the msw handlers compared with it (answers carry timestamps).
  const clock = () => Date.UTC(2026, 10, 30, 12);
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ clock });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Sends `target` as it is (node:http does not normalise it, unlike fetch). */
  function send(
    method: string,
    target: string,
    headers: Record<string, string | string[]>,
    body?: string,
  ): Promise<{ status: number; text: string }> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        { host: "127.0.0.1", port, method, path: target, headers },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }

  const ORDER = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";

  it("routes raw request targets as the WHATWG URL parser reads them, like msw", async () => {
    server.orders.seed({ provider: "levelup", id: ORDER, amount: 500 });
    const msw = createMockHandlers({ baseUrls: server.baseUrls, clock });
    msw.orders.seed({ provider: "levelup", id: ORDER, amount: 500 });
    const token = `token ${server.credentials.levelup.token}`;
    const targets = [
      `/levelup/v14/orders/${ORDER}/refund?x=1`,
      `/levelup/v14/orders/x/../${ORDER}/refund`,
      `/levelup/v14/orders/${ORDER}/./refund`,
      `/levelup/v14/orders/%2e%2e/${ORDER}/refund`,
      `/levelup/v14/orders/a"b/refund`,
      "/levelup/v14/orders/a{b}^c/refund",
      `//levelup/v14/orders/${ORDER}/refund`,
      `${server.url}/levelup/v14/orders/${ORDER}/refund`,
      `http://elsewhere.invalid/levelup/v14/orders/${ORDER}/refund`,
      `/LEVELUP/v14/orders/${ORDER}/REFUND/`,
    ];
    for (const target of targets) {
      const overHttp = await send("POST", target, { Authorization: token });
      const url = new URL(target, server.url);
      const expected = await getResponse(
        msw.handlers,
        new Request(url, { method: "POST", headers: { Authorization: token } }),
      );
      if (expected === undefined) {
        expect(overHttp, target).toEqual({ status: 404, text: '{"error":"not found"}' });
        continue;
      }
      expect(overHttp, target).toEqual({ status: expected.status, text: await expected.text() });
    }
    // The one order was refunded once, through whichever target reached it first.
    expect(server.orders.get("levelup", ORDER)?.refunds).toHaveLength(1);
  });

  it("joins a repeated header field as fetch's Headers do", async () => {
    server.orders.seed({ provider: "levelup", id: "twice", amount: 500 });
    const token = `token ${server.credentials.levelup.token}`;
    const answer = await send("POST", "/levelup/v14/orders/twice/refund", {
      Authorization: [token, token],
    });
    // "token X, token X" is not the token: refused, as msw refuses the same request.
    expect(answer.status).toBe(401);
    expect(server.orders.get("levelup", "twice")?.refunds).toEqual([]);
  });

  it("a hanging request ends when its client goes away; the server goes on answering", async () => {
    server.orders.seed({ provider: "moyasar", id: "hang-1", amount: 500, currency: "SAR" });
    server.faults.inject({ provider: "moyasar", kind: "hang" });
    const auth = { Authorization: `Bearer ${server.credentials.moyasar.apiKey}` };
    const started = Date.now();
    await expect(
      fetch(`${server.baseUrls.moyasar}/v1/orders/hang-1/refund`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ amount: 100 }),
        signal: AbortSignal.timeout(150),
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.orders.get("moyasar", "hang-1")?.refunds).toEqual([]);
    const next = await send(
      "POST",
      "/moyasar/v1/orders/hang-1/refund",
      { ...auth, "Content-Type": "application/json" },
      JSON.stringify({ amount: 100 }),
    );
    expect(next.status).toBe(200);
    expect(server.orders.get("moyasar", "hang-1")?.refundedAmount).toBe(100);
  });
});
