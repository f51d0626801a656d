import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import {
  type CapturedRequest,
  captureRequest,
  captureRequests,
  recordingFetch,
  useMswServer,
} from "../src/index.js";

const server = useMswServer(http.get("https://api.test/ping", () => HttpResponse.text("pong")));

describe("captureRequest", () => {
  it("reads method, URL, lower-case headers and the body, and leaves the body readable", async () => {
    const request = new Request("https://api.test/x?y=1", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Key": "k" },
      body: '{"a":1}',
    });
    expect(await captureRequest(request)).toEqual({
      method: "POST",
      url: "https://api.test/x?y=1",
      headers: { "content-type": "application/json", "x-key": "k" },
      body: '{"a":1}',
    });
    expect(await request.text()).toBe('{"a":1}');
  });

  it("a request without a body has body ''", async () => {
    expect((await captureRequest(new Request("https://api.test/"))).body).toBe("");
  });
});

describe("useMswServer and captureRequests", () => {
  it("records every request to the pattern in order and answers with the responder", async () => {
    const seen = captureRequests(server, "https://api.test/orders/*", (_request, all) =>
      HttpResponse.json({ n: all.length }, { status: 201 }),
    );
    const first = await fetch("https://api.test/orders/1/refund", { method: "POST", body: "a" });
    const second = await fetch("https://api.test/orders/2", { method: "DELETE" });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ n: 1 });
    expect(await second.json()).toEqual({ n: 2 });
    expect(seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "https://api.test/orders/1/refund", "a"],
      ["DELETE", "https://api.test/orders/2", ""],
    ]);
  });

  it("drops handlers added in a test after it; the initial ones stay", async () => {
    expect(await (await fetch("https://api.test/ping")).text()).toBe("pong");
    await expect(fetch("https://api.test/orders/1")).rejects.toThrow();
  });
});

describe("recordingFetch", () => {
  it("records each request and passes it on", async () => {
    const calls: CapturedRequest[] = [];
    const answered: string[] = [];
    const fetch = recordingFetch(calls, async (input) => {
      answered.push(new Request(input).url);
      return new Response("ok");
    });
    await fetch("https://api.test/a", { method: "PUT", body: "x" });
    expect(calls).toEqual([
      { method: "PUT", url: "https://api.test/a", headers: expect.any(Object), body: "x" },
    ]);
    expect(answered).toEqual(["https://api.test/a"]);
  });
});
