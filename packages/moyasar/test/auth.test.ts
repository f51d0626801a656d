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
import { createMoyasarClient, moyasarAdapter } from "../src/index.js";

const KEY = "sk_test_sekritMPGkey_0123456789";
const ORDER = "0191f5a7-44d3-7430-8739-2d80821416bf";
const server = useMswServer();

/** Records the refund requests sent to `base`, answering an empty order. */
const captureAuth = (base: string): CapturedRequest[] =>
  captureRequests(server, `${base}/v1/orders/:id/refund`, () =>
    HttpResponse.json({ currency: "SAR", transactions: [] }),
  );

/** The RefundError `fn` throws (fails on any other outcome). */
const thrown = (fn: () => unknown): RefundError => thrownBy(fn, isRefundError);

const refundIn = (client: ReturnType<typeof createMoyasarClient>) =>
  client.POST("/v1/orders/{id}/refund", {
    params: { path: { id: ORDER } },
    body: { amount: 100 },
  });

describe("moyasar auth", () => {
  it("sends Authorization: Bearer <apiKey> to the sandbox and production servers", async () => {
    const sandbox = captureAuth("https://pg.mysr.dev");
    const live = captureAuth("https://pg.moyasar.com");
    await refundIn(createMoyasarClient({ environment: "sandbox", apiKey: KEY }));
    await refundIn(createMoyasarClient({ environment: "production", apiKey: new Secret(KEY) }));
    expect(authorizations(sandbox)).toEqual([`Bearer ${KEY}`]);
    expect(authorizations(live)).toEqual([`Bearer ${KEY}`]);
  });

  it("baseUrl wins over environment", async () => {
    const local = captureAuth("http://localhost:4010/moyasar");
    await refundIn(
      createMoyasarClient({
        environment: "production",
        baseUrl: "http://localhost:4010/moyasar/",
        apiKey: KEY,
      }),
    );
    expect(authorizations(local)).toEqual([`Bearer ${KEY}`]);
  });

  it("refuses a missing host or apiKey with invalid_request naming the field", () => {
    expect(thrown(() => createMoyasarClient({ apiKey: KEY })).message).toMatch(
      /environment.*baseUrl/,
    );
    for (const apiKey of [undefined, "", null, 42]) {
      const error = thrown(() =>
        moyasarAdapter.connect({ environment: "sandbox", apiKey } as unknown as {
          apiKey: string;
        }),
      );
      expect(error.code).toBe("invalid_request");
      expect(error.message).toMatch(/apiKey (is required|must be a string)/);
    }
  });

  it("never echoes a malformed apiKey", () => {
    const error = thrown(() =>
      createMoyasarClient({ environment: "sandbox", apiKey: "sekrit\r\nX-Evil: 1" }),
    );
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain("apiKey must be visible ASCII");
    expect(error.message).not.toContain("sekrit");
  });

  it("keeps the apiKey out of JSON, inspect and error messages", async () => {
    const client = createMoyasarClient({ environment: "sandbox", apiKey: KEY });
    const adapter = moyasarAdapter.connect({ environment: "sandbox", apiKey: KEY });
    for (const value of [client, adapter]) {
      expect(JSON.stringify(value) ?? "").not.toContain(KEY);
      expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(KEY);
    }
    server.use(
      http.post("https://pg.mysr.dev/v1/orders/:id/refund", () =>
        HttpResponse.json({ message: "Missing authentication information" }, { status: 401 }),
      ),
    );
    const error = await adapter
      .refund({ orderId: ORDER, amount: 100, currency: "SAR" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    const refundError = error as RefundError;
    expect(refundError.code).toBe("authentication_failed");
    expect(
      `${refundError.message}${JSON.stringify(refundError)}${inspect(refundError)}`,
    ).not.toContain(KEY);
  });
});
