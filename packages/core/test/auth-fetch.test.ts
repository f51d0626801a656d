import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAuthFetch } from "../src/auth-fetch.js";
import { createResilientFetch } from "../src/resilient-fetch.js";
import { createTokenCache } from "../src/token-cache.js";

const URL_ = "https://api.example.com/v2/order/o1/refund";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function acceptOnly(valid: () => string) {
  const seen: { authorization: string | null; body: string }[] = [];
  server.use(
    http.post(URL_, async ({ request }) => {
      const authorization = request.headers.get("authorization");
      seen.push({ authorization, body: await request.text() });
      return authorization === valid()
        ? HttpResponse.json({ uuid: "rf_1" })
        : HttpResponse.json([{ code: "unauthorized" }], { status: 401 });
    }),
  );
  return seen;
}

describe("createAuthFetch", () => {
  it("gives up at the caller's abort while a token is still being fetched, sending nothing", async () => {
    const seen = acceptOnly(() => "Bearer late");
    let release: (value: string) => void = () => {};
    const pendingToken = new Promise<string>((resolve) => {
      release = resolve;
    });
    const fetch = createAuthFetch({
      fetch: (...args) => globalThis.fetch(...args),
      authorize: () => pendingToken,
    });
    const controller = new AbortController();
    const call = fetch(URL_, { method: "POST", body: "{}", signal: controller.signal });
    const reason = new Error("caller gave up");
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    release("Bearer late");
    await pendingToken;
    expect(seen).toHaveLength(0);
  });

  it("sets Authorization on each request", async () => {
    const seen = acceptOnly(() => "Bearer t1");
    const fetch = createAuthFetch({
      fetch: (...args) => globalThis.fetch(...args),
      authorize: async () => "Bearer t1",
    });
    const response = await fetch(URL_, {
      method: "POST",
      body: '{"a":1}',
      headers: { authorization: "stale" },
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ authorization: "Bearer t1", body: '{"a":1}' }]);
  });

  it("on a 401 invalidates the token and re-sends once with a fresh one and the same body", async () => {
    let valid = "Bearer t1";
    const seen = acceptOnly(() => valid);
    let issued = 0;
    const cache = createTokenCache({
      fetchToken: async () => ({ token: `t${++issued}`, expiresAt: Number.MAX_SAFE_INTEGER }),
    });
    await cache.get(); // t1 cached, then rotated server-side
    valid = "Bearer t2";
    const onUnauthorized = vi.fn((header: string) =>
      cache.invalidate(header.slice("Bearer ".length)),
    );
    const fetch = createAuthFetch({
      fetch: createResilientFetch({ provider: "sezzle", isIdempotent: () => false }),
      authorize: async () => `Bearer ${await cache.get()}`,
      onUnauthorized,
    });
    const response = await fetch(URL_, { method: "POST", body: '{"amount":1}' });
    expect(response.status).toBe(200);
    expect(onUnauthorized).toHaveBeenCalledWith("Bearer t1");
    expect(seen).toEqual([
      { authorization: "Bearer t1", body: '{"amount":1}' },
      { authorization: "Bearer t2", body: '{"amount":1}' },
    ]);
  });

  it("re-sends only once: a second 401 is returned", async () => {
    const seen = acceptOnly(() => "never");
    let n = 0;
    const fetch = createAuthFetch({
      fetch: (...args) => globalThis.fetch(...args),
      authorize: async () => `Bearer t${++n}`,
      onUnauthorized: () => {},
    });
    const response = await fetch(URL_, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([{ code: "unauthorized" }]);
    expect(seen).toHaveLength(2);
  });

  it("returns the 401 untouched when there is no onUnauthorized or the credential did not change", async () => {
    const seen = acceptOnly(() => "never");
    const plain = createAuthFetch({
      fetch: (...args) => globalThis.fetch(...args),
      authorize: async () => "token abc",
    });
    expect((await plain(URL_, { method: "POST", body: "{}" })).status).toBe(401);
    const same = createAuthFetch({
      fetch: (...args) => globalThis.fetch(...args),
      authorize: async () => "token abc",
      onUnauthorized: () => {},
    });
    const response = await same(URL_, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([{ code: "unauthorized" }]);
    expect(seen).toHaveLength(2);
  });
});
