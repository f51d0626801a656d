import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyAnswer, jsonAnswer, MockAnswer, textAnswer } from "../src/answers.js";
import { type MockServer, startMockServer } from "../src/index.js";
import { wire } from "./helpers.js";
import { useMock } from "./setup.js";

// The mock's answers are Responses served from bytes built once (src/answers.ts). Whoever reads
// them (msw's setupServer, the HTTP server, the idempotency store) must see what msw's
// HttpResponse.json would have given: status, reason phrase, headers, body.

describe("MockAnswer", () => {
  it("is a Response with msw's status text, JSON headers and body", async () => {
    const answer = jsonAnswer({ uuid: "é-1" }, 201, { "Retry-After": "3" });
    expect(answer).toBeInstanceOf(Response);
    expect(answer.status).toBe(201);
    expect(answer.statusText).toBe("Created");
    expect(answer.ok).toBe(true);
    expect(Object.fromEntries(answer.headers)).toEqual({
      "content-type": "application/json",
      "content-length": String(new TextEncoder().encode('{"uuid":"é-1"}').byteLength),
      "retry-after": "3",
    });
    expect(await answer.json()).toEqual({ uuid: "é-1" });
  });

  it("is read once, like any Response; a clone taken before is read on its own", async () => {
    const answer = textAnswer("<p>hi</p>", 503, "text/html; charset=utf-8");
    const copy = answer.clone();
    expect(await answer.text()).toBe("<p>hi</p>");
    expect(answer.bodyUsed).toBe(true);
    await expect(answer.text()).rejects.toThrow(TypeError);
    expect(() => answer.clone()).toThrow(TypeError);
    expect(answer.wire()).toBeUndefined();
    expect(copy.statusText).toBe("Service Unavailable");
    expect(copy.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(new TextDecoder().decode(await copy.arrayBuffer())).toBe("<p>hi</p>");
  });

  it("streams its body for readers that take the stream (msw's interceptors)", async () => {
    const answer = jsonAnswer([{ code: "invalid", message: "no" }], 422);
    const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value);
    }
    expect(answer.bodyUsed).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(Buffer.concat(chunks)))).toEqual([
      { code: "invalid", message: "no" },
    ]);
  });

  it("an empty answer has no body and content-length 0", async () => {
    const answer = emptyAnswer(404);
    expect(answer.body).toBeNull();
    expect(answer.statusText).toBe("Not Found");
    expect(answer.headers.get("content-length")).toBe("0");
    expect(await answer.text()).toBe("");
    expect(new MockAnswer({ status: 204, fields: {}, bytes: null }).status).toBe(204);
  });

  it("wire() gives the bytes and fields as built (headers as changed), without reading the body", async () => {
    const answer = jsonAnswer({ a: 1 }, 200);
    const first = answer.wire();
    expect(first).toEqual({
      status: 200,
      fields: { "content-type": "application/json", "content-length": "7" },
      bytes: new TextEncoder().encode('{"a":1}'),
    });
    expect(answer.bodyUsed).toBe(false);
    answer.headers.set("x-request-id", "r-1");
    expect(answer.wire()?.fields).toEqual({
      "content-type": "application/json",
      "content-length": "7",
      "x-request-id": "r-1",
    });
    expect(await answer.json()).toEqual({ a: 1 });
  });
});

describe("answers under msw's setupServer", () => {
  const { mock, client } = useMock();

  it("reach fetch as msw's HttpResponse.json would (status text, headers, body)", async () => {
    mock.orders.seed({ provider: "sezzle", id: "sz-a", amount: 5000, currency: "USD" });
    const token = await client.sezzleToken();
    const response = await fetch(`${mock.baseUrls.sezzle}/v2/order/sz-a/refund`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ amount_in_cents: 100, currency: "USD" }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.statusText).toBe("OK");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("content-length")).toBe(String(text.length));
    expect(JSON.parse(text)).toEqual({ uuid: expect.any(String) });
  });

  it("a replayed idempotent answer is the first one, byte for byte, headers included", async () => {
    mock.orders.seed({ provider: "sezzle", id: "sz-b", amount: 5000, currency: "USD" });
    const send = () =>
      client.sezzleRefund(
        "sz-b",
        { amount_in_cents: 100, currency: "USD" },
        { requestId: "same-key" },
      );
    const first = await send();
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(Object.fromEntries(again.headers)).toEqual(Object.fromEntries(first.headers));
    expect(mock.orders.get("sezzle", "sz-b")?.refunds).toHaveLength(1);
  });

  it("Optty's replay answers the first body with 200 instead of 201", async () => {
    mock.orders.seed({ provider: "optty", id: "op-a", amount: 2500, currency: "AUD" });
    const body = {
      refundReference: "ref-1",
      refundAmount: { amount: 5, currency: "AUD" },
      refundDescription: "x",
    };
    const first = await client.opttyRefund("op-a", body);
    const again = await client.opttyRefund("op-a", body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.text).toBe(first.text);
  });
});

describe("answers over the mock's HTTP server", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("are written as built: status, reason phrase, headers and bytes", async () => {
    server.orders.seed({ provider: "moyasar", id: "mp-a", amount: 1000, currency: "SAR" });
    server.orders.seed({ provider: "levelup", id: "lu-a", amount: 700 });
    const requests = (): Array<[string, RequestInit]> => [
      [
        `${server.baseUrls.moyasar}/v1/orders/mp-a/refund`,
        {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: "Bearer sk_test_mock" },
          body: JSON.stringify({ amount: 10, transaction_id: "t-1" }),
        },
      ],
      [
        `${server.baseUrls.levelup}/v14/orders/missing/refund`,
        { method: "POST", headers: { Authorization: "token levelup-mock-token" } },
      ],
      [
        `${server.baseUrls.levelup}/v14/orders/lu-a/refund`,
        { method: "POST", headers: { Authorization: "token wrong" } },
      ],
    ];
    const overHttp = [];
    for (const [url, init] of requests()) {
      const response = await fetch(url, init);
      overHttp.push({
        status: response.status,
        statusText: response.statusText,
        type: response.headers.get("content-type"),
        length: response.headers.get("content-length"),
        text: await response.text(),
      });
    }
    expect(overHttp.map((answer) => [answer.status, answer.statusText, answer.type])).toEqual([
      [200, "OK", "application/json"],
      [404, "Not Found", null],
      [401, "Unauthorized", "application/json"],
    ]);
    for (const answer of overHttp) {
      expect(Number(answer.length)).toBe(new TextEncoder().encode(answer.text).byteLength);
    }
    expect(overHttp[1]?.text).toBe("");
    // The same MPG refund again (same transaction_id): the kept answer, as first sent.
    const [url, init] = requests()[0] as [string, RequestInit];
    const again = await fetch(url, init);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(overHttp[0]?.text);
    expect(again.headers.get("content-type")).toBe("application/json");
  });

  it("an unread answer from a handler is sent whole when the connection is kept alive", async () => {
    server.orders.seed({ provider: "sezzle", id: "sz-k", amount: 5000, currency: "USD" });
    const client = wire(server.baseUrls, server.credentials);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        client.sezzleRefund(
          "sz-k",
          { amount_in_cents: 10, currency: "USD" },
          {
            requestId: `k-${index}`,
          },
        ),
      ),
    );
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(server.orders.get("sezzle", "sz-k")?.refundedAmount).toBe(200);
  });
});
