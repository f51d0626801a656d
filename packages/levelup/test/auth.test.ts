import { inspect } from "node:util";
import { isRefundError, RefundError, Secret } from "@refundkit/core/internal";
import {
  authorizations,
  type CapturedRequest,
  captureRequests,
  thrownBy,
  useMswServer,
} from "@refundkit/test-utils";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { alternativeServers, createLevelUpClient, levelupAdapter, servers } from "../src/index.js";

const TOKEN = "123456-75489120749secretTOKEN";
const ORDER = "393b75b0806011e29e960800200c9a66";
const server = useMswServer();

/** Records the refund requests sent to `base`, answering a refunded order. */
const captureAuth = (base: string): CapturedRequest[] =>
  captureRequests(server, `${base}/v14/orders/:uuid/refund`, () =>
    HttpResponse.json({ order: { total_amount: 5, refunded_at: "2014-01-01T00:00:00Z" } }),
  );

/** The RefundError `fn` throws (fails on any other outcome). */
const thrown = (fn: () => unknown): RefundError => thrownBy(fn, isRefundError);

describe("levelup auth", () => {
  it("sends Authorization: token <token> to the sandbox server from the spec", async () => {
    const seen = captureAuth("https://sandbox.thelevelup.com");
    const client = createLevelUpClient({ environment: "sandbox", token: TOKEN });
    const { response } = await client.POST("/v14/orders/{uuid}/refund", {
      params: { path: { uuid: ORDER } },
      body: { refund: {} },
    });
    expect(response.status).toBe(200);
    expect(authorizations(seen)).toEqual([`token ${TOKEN}`]);
    expect(servers.sandbox).toBe("https://sandbox.thelevelup.com");
  });

  it("uses production for environment production, and baseUrl wins over environment", async () => {
    const live = captureAuth("https://api.thelevelup.com");
    const alt = captureAuth("https://api.sandbox-levelup.com");
    const refundIn = (client: ReturnType<typeof createLevelUpClient>) =>
      client.POST("/v14/orders/{uuid}/refund", {
        params: { path: { uuid: ORDER } },
        body: { refund: {} },
      });
    await refundIn(createLevelUpClient({ environment: "production", token: new Secret(TOKEN) }));
    await refundIn(
      createLevelUpClient({
        environment: "production",
        baseUrl: `${alternativeServers.sandbox[0]}/`,
        token: TOKEN,
      }),
    );
    expect(authorizations(live)).toEqual([`token ${TOKEN}`]);
    expect(authorizations(alt)).toEqual([`token ${TOKEN}`]);
  });

  it("refuses a missing host or token with invalid_request naming the field", () => {
    const noHost = thrown(() => createLevelUpClient({ token: TOKEN }));
    expect(noHost.code).toBe("invalid_request");
    expect(noHost.message).toMatch(/environment.*baseUrl/);
    for (const token of [undefined, "", null]) {
      const error = thrown(() =>
        levelupAdapter.connect({ environment: "sandbox", token } as unknown as { token: string }),
      );
      expect(error.code).toBe("invalid_request");
      expect(error.message).toContain("token is required");
    }
    const badEnv = thrown(() =>
      createLevelUpClient({ environment: "live" as "production", token: TOKEN }),
    );
    expect(badEnv.message).toContain("environment");
  });

  it("never echoes a bad token or a baseUrl that carries credentials", () => {
    const badToken = thrown(() =>
      createLevelUpClient({ environment: "sandbox", token: "sekrit value\n" }),
    );
    expect(badToken.message).toContain("token must be visible ASCII");
    expect(badToken.message).not.toContain("sekrit");
    const badUrl = thrown(() =>
      createLevelUpClient({ baseUrl: "https://user:sekrit@api.thelevelup.com", token: TOKEN }),
    );
    expect(badUrl.message).not.toContain("sekrit");
    expect(badUrl.code).toBe("invalid_request");
  });

  it("keeps the token out of JSON, inspect and error messages", async () => {
    const client = createLevelUpClient({ environment: "sandbox", token: TOKEN });
    const adapter = levelupAdapter.connect({ environment: "sandbox", token: TOKEN });
    for (const value of [client, adapter, levelupAdapter]) {
      expect(JSON.stringify(value) ?? "").not.toContain(TOKEN);
      expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    }
    server.use(
      http.post("https://sandbox.thelevelup.com/v14/orders/:uuid/refund", () =>
        HttpResponse.json({ message: "unauthorized" }, { status: 401 }),
      ),
    );
    const error = await adapter.refund({ orderId: ORDER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    const refundError = error as RefundError;
    expect(refundError.code).toBe("authentication_failed");
    expect(refundError.retryable).toBe(false);
    expect(refundError.message).not.toContain(TOKEN);
    expect(JSON.stringify(refundError)).not.toContain(TOKEN);
    expect(inspect(refundError, { depth: 10 })).not.toContain(TOKEN);
  });
});
