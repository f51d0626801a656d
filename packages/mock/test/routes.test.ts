import { getResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createMockHandlers, defaultBaseUrls, documents, type MockProvider } from "../src/index.js";
import { routes } from "../src/specs.js";

describe("routes come from the specs", () => {
  it("default base URLs are each spec's sandbox servers, Optty's token host included", () => {
    expect(defaultBaseUrls).toEqual({
      sezzle: "https://sandbox.gateway.sezzle.com",
      optty: "https://api.qa.optty.com",
      opttyAuth: "https://auth.qa.optty.com",
      levelup: "https://sandbox.thelevelup.com",
      moyasar: "https://pg.mysr.dev",
      briqpay: "https://playground-api.briqpay.com/v3",
    });
  });

  it("every operation in every spec has a handler at its spec path", async () => {
    const mock = createMockHandlers();
    const base: Record<string, string> = { ...mock.baseUrls };
    let checked = 0;
    for (const provider of Object.keys(documents) as MockProvider[]) {
      const paths = (
        documents[provider] as { paths: Record<string, Record<string, { operationId?: string }>> }
      ).paths;
      for (const [path, item] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(item)) {
          if (typeof operation !== "object" || operation?.operationId === undefined) continue;
          const host =
            provider === "optty" && path === routes.optty.token.path
              ? base.opttyAuth
              : base[provider];
          const url = `${host}${path.replace(/\{[^}]+\}/g, "c5674f4f-7e84-405c-a44b-c83736bb7209")}`;
          const response = await getResponse(
            mock.handlers,
            new Request(url, {
              method: method.toUpperCase(),
              ...(method === "get" ? {} : { body: "{}" }),
            }),
          );
          expect(response, `${provider} ${method} ${path}`).toBeDefined();
          checked += 1;
        }
      }
    }
    // 7 refund/token operations and 4 documented lookups (MPG has none).
    expect(checked).toBe(11);
  });

  it("baseUrls move the handlers", async () => {
    const mock = createMockHandlers({ baseUrls: { moyasar: "http://mpg.local/" } });
    expect(mock.baseUrls.moyasar).toBe("http://mpg.local");
    const moved = await getResponse(
      mock.handlers,
      new Request("http://mpg.local/v1/orders/x/refund", { method: "POST" }),
    );
    expect(moved?.status).toBe(401);
    const old = await getResponse(
      mock.handlers,
      new Request("https://pg.mysr.dev/v1/orders/x/refund", { method: "POST" }),
    );
    expect(old).toBeUndefined();
  });
});
