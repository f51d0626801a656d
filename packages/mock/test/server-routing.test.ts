import { getResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockHandlers, type MockServer, startMockServer } from "../src/index.js";

// The HTTP server routes requests itself (patterns compiled once, see src/routing.ts) instead of
// msw's getResponse: it must pick the same handler msw would, for the same requests.
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
});

const ORDER = "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
/** [method, path under the server's origin]: refunds, tokens and lookups, with the edge cases of
 * msw's matching (trailing slash, case, encoded parameters, query strings) and near misses. */
const CASES: [string, string][] = [
  ["POST", `/sezzle/v2/order/${ORDER}/refund`],
  ["POST", `/sezzle/v2/order/${ORDER}/refund/`],
  ["POST", `/SEZZLE/V2/ORDER/${ORDER}/REFUND`],
  ["POST", `/sezzle/v2/order/${ORDER}/refund?x=1`],
  ["post", `/sezzle/v2/order/${ORDER}/refund`],
  ["POST", "/sezzle/v2/order/a%20b/refund"],
  ["POST", "/sezzle/v2/order/a%2Fb/refund"],
  ["GET", `/sezzle/v2/order/${ORDER}/refund`],
  ["POST", `/sezzle/v2/order/${ORDER}/refund/extra`],
  ["POST", "/sezzle/v2/order//refund"],
  ["POST", "/sezzle/v2/authentication"],
  ["GET", `/sezzle/v2/order/${ORDER}`],
  ["POST", "/optty/token"],
  ["POST", "/optty/orders/ord-1/refund"],
  ["POST", "/optty/orders/ord-1/details"],
  ["POST", "/levelup/v14/orders/abc/refund"],
  ["GET", "/levelup/v14/merchants/1/orders/abc"],
  ["POST", "/moyasar/v1/orders/o-1/refund"],
  ["POST", `/briqpay/v3/session/${ORDER}/order/refund`],
  ["GET", `/briqpay/v3/session/${ORDER}`],
  ["POST", "/nowhere"],
];

describe("the HTTP server's routing", () => {
  it("answers each request as msw's getResponse does over the same handlers", async () => {
    const msw = createMockHandlers({ baseUrls: server.baseUrls });
    for (const [method, path] of CASES) {
      const init = {
        method,
        headers: { "Content-Type": "application/json", Authorization: "Bearer not-a-token" },
        ...(method.toUpperCase() === "GET" ? {} : { body: JSON.stringify({}) }),
      };
      const overHttp = await fetch(`${server.url}${path}`, init);
      const expected = await getResponse(msw.handlers, new Request(`${server.url}${path}`, init));
      const label = `${method} ${path}`;
      if (expected === undefined) {
        expect(overHttp.status, label).toBe(404);
        expect(await overHttp.json(), label).toEqual({ error: "not found" });
        continue;
      }
      expect(overHttp.status, label).toBe(expected.status);
      expect(await overHttp.text(), label).toBe(await expected.text());
    }
  });
});
