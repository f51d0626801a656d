/**
 * core's JSON sender (the facade's GET and POST without openapi-fetch): path parameters refused
 * before any request as `guardedPathSerializer` refuses them, and openapi-fetch's outcome rules.
 * refundkit's test/callers.test.ts compares it with openapi-fetch on every provider's calls.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { RefundError } from "../src/errors.js";
import { createJsonClient } from "../src/json-client.js";
import { LeanRequest } from "../src/outgoing-request.js";
import { createResilientFetch } from "../src/resilient-fetch.js";

function client(answer: () => Response) {
  const sent: Request[] = [];
  const json = createJsonClient(
    "sezzle",
    "https://h.test/api",
    async (request) => {
      sent.push(request);
      return answer();
    },
    { Accept: "application/json" },
  );
  return { json, sent };
}

describe("createJsonClient", () => {
  it.each(["", "..", "a/b", "a?b", "a%2Fb", undefined])(
    "refuses the path parameter %j before a request",
    async (id) => {
      const { json, sent } = client(() => new Response("{}"));
      const call = json.POST("/order/{order_uuid}/refund", {
        params: { path: { order_uuid: id } },
        parseAs: "stream",
      });
      await expect(call).rejects.toBeInstanceOf(RefundError);
      await expect(call).rejects.toMatchObject({ code: "invalid_request", provider: "sezzle" });
      expect(sent).toHaveLength(0);
    },
  );

  it("sends the path, headers and JSON body as openapi-fetch does", async () => {
    const { json, sent } = client(() => Response.json({ uuid: "r-1" }));
    await json.POST("/order/{order_uuid}/refund", {
      params: { path: { order_uuid: "o-1" }, header: { "Sezzle-Request-Id": "k-1" } },
      body: { amount_in_cents: 500 },
      parseAs: "text",
    });
    const [request] = sent as [Request];
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://h.test/api/order/o-1/refund");
    expect(Object.fromEntries(request.headers)).toEqual({
      accept: "application/json",
      "content-type": "application/json",
      "sezzle-request-id": "k-1",
    });
    expect(await request.text()).toBe('{"amount_in_cents":500}');
  });

  it("reads answers by openapi-fetch's rules", async () => {
    const get = (answer: Response) => client(() => answer).json.GET("/order", { parseAs: "text" });
    expect(await get(new Response(null, { status: 204 }))).toMatchObject({ data: undefined });
    expect(await get(new Response("ok", { status: 200 }))).toMatchObject({ data: "ok" });
    expect(await get(Response.json({ a: 1 }, { status: 422 }))).toMatchObject({
      error: { a: 1 },
    });
    expect(await get(new Response("down", { status: 503 }))).toMatchObject({ error: "down" });
    const empty = await get(new Response("", { status: 404, headers: { "content-length": "0" } }));
    expect(empty.error).toBeUndefined();
    expect(empty.response.status).toBe(404);
  });
});

describe("createJsonClient through the resilient fetch", () => {
  it("sends its request (a LeanRequest) to any fetch as a real Request, the caller's signal beside it", async () => {
    const seen: Request[] = [];
    const transport = createResilientFetch({
      provider: "sezzle",
      isIdempotent: () => true,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push(request);
        return Response.json({ echo: await request.text() });
      },
    });
    const caller = new AbortController();
    const json = createJsonClient("sezzle", "https://h.test", transport);
    const { data } = await json.POST("/v2/authentication", {
      body: { public_key: "pk" },
      parseAs: "text",
      signal: caller.signal,
    });
    expect(JSON.parse(data as string)).toEqual({ echo: '{"public_key":"pk"}' });
    expect(seen[0]?.headers.get("content-type")).toBe("application/json");
    // Kept beside the request, listened to only while the call lasts.
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    caller.abort(new Error("stop"));
    const aborted = json.GET("/v2/order/{id}", {
      params: { path: { id: "o1" } },
      parseAs: "text",
      signal: caller.signal,
    });
    await expect(aborted).rejects.toThrow("stop");
    expect(seen).toHaveLength(1);
  });

  it("a body refundkit never builds (bytes) makes a plain Request, which the transport reads once", async () => {
    const request = new LeanRequest("https://h.test/x", {
      method: "POST",
      headers: new Headers(),
      body: new Uint8Array([0xff, 0x01]),
    }) as unknown as Request;
    expect(request).not.toBeInstanceOf(LeanRequest);
    expect(request).toBeInstanceOf(Request);
    const sent: number[][] = [];
    const transport = createResilientFetch({
      provider: "sezzle",
      isIdempotent: () => true,
      maxRetries: 1,
      sleep: async () => {},
      fetch: async (input, init) => {
        sent.push([...new Uint8Array(await new Request(input, init).arrayBuffer())]);
        return new Response(null, { status: sent.length === 1 ? 503 : 204 });
      },
    });
    expect((await transport(request)).status).toBe(204);
    expect(sent).toEqual([
      [0xff, 0x01],
      [0xff, 0x01],
    ]);
  });
});
