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
import { briqpayAdapter, createBriqpayClient } from "../src/index.js";

const USER = "merchant-42";
const SECRET = "sekrit-Brîqpay-ø-secret";
const SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";
const server = useMswServer();

/** Records the refund requests sent to `url`, answering a pending refund. */
const capture = (url: string): CapturedRequest[] =>
  captureRequests(server, url, () =>
    HttpResponse.json({ refundId: "r", status: "pending" }, { status: 201 }),
  );

const refundIn = (client: ReturnType<typeof createBriqpayClient>) =>
  client.POST("/session/{sessionId}/order/refund", {
    params: { path: { sessionId: SESSION } },
    body: {
      data: {
        order: {
          amountIncVat: 100,
          amountExVat: 100,
          currency: "SEK",
          cart: [
            {
              productType: "adjustment",
              name: "Refund",
              quantity: 1,
              quantityUnit: "pc",
              unitPrice: 100,
              taxRate: 0,
            },
          ],
        },
      },
    },
  });

/** The RefundError `fn` throws (fails on any other outcome). */
const thrown = (fn: () => unknown): RefundError => thrownBy(fn, isRefundError);

describe("briqpay auth", () => {
  it("sends Basic base64(username:secret) of the UTF-8 bytes", async () => {
    const seen = capture(`https://playground-api.briqpay.com/v3/session/${SESSION}/order/refund`);
    await refundIn(createBriqpayClient({ environment: "sandbox", username: USER, secret: SECRET }));
    const expected = `Basic ${Buffer.from(`${USER}:${SECRET}`, "utf8").toString("base64")}`;
    expect(authorizations(seen)).toEqual([expected]);
    // Decodes back to the exact credentials (btoa alone would throw on "î" and "ø").
    expect(Buffer.from(expected.slice(6), "base64").toString("utf8")).toBe(`${USER}:${SECRET}`);
  });

  it("uses https://api.briqpay.com/v3 in production", async () => {
    const seen = capture(`https://api.briqpay.com/v3/session/${SESSION}/order/refund`);
    await refundIn(
      createBriqpayClient({ environment: "production", username: "u", secret: new Secret("s") }),
    );
    expect(authorizations(seen)).toEqual([`Basic ${Buffer.from("u:s").toString("base64")}`]);
  });

  it.each([
    ["http://localhost:4010", "http://localhost:4010/v3"],
    ["http://localhost:4010/", "http://localhost:4010/v3"],
    ["http://localhost:4010/v3", "http://localhost:4010/v3"],
    ["http://localhost:4010/v3/", "http://localhost:4010/v3"],
    ["http://localhost:4010/briqpay", "http://localhost:4010/briqpay/v3"],
  ])("baseUrl %s -> %s (and wins over environment)", async (baseUrl, root) => {
    const seen = capture(`${root}/session/${SESSION}/order/refund`);
    await refundIn(
      createBriqpayClient({ environment: "production", baseUrl, username: "u", secret: "s" }),
    );
    expect(seen).toHaveLength(1);
  });

  it("refuses missing or bad credentials naming the field, never echoing them", () => {
    expect(thrown(() => createBriqpayClient({ username: "u", secret: "s" })).message).toMatch(
      /environment.*baseUrl/,
    );
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ secret: SECRET }, /username is required/],
      [{ username: "", secret: SECRET }, /username is required/],
      [{ username: "a:b", secret: SECRET }, /username must not contain a colon/],
      [{ username: USER }, /secret is required/],
      [{ username: USER, secret: "" }, /secret is required/],
      [{ username: USER, secret: `${SECRET}\n` }, /secret must not contain control/],
    ];
    for (const [fields, message] of cases) {
      const error = thrown(() =>
        briqpayAdapter.connect({ environment: "sandbox", ...fields } as unknown as {
          username: string;
          secret: string;
        }),
      );
      expect(error.code).toBe("invalid_request");
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain("sekrit");
    }
  });

  it("keeps the secret out of JSON, inspect and error messages", async () => {
    const encoded = Buffer.from(`${USER}:${SECRET}`, "utf8").toString("base64");
    const client = createBriqpayClient({ environment: "sandbox", username: USER, secret: SECRET });
    const adapter = briqpayAdapter.connect({
      environment: "sandbox",
      username: USER,
      secret: SECRET,
    });
    for (const value of [client, adapter]) {
      const shown = `${JSON.stringify(value) ?? ""}${inspect(value, { depth: 10, showHidden: true })}`;
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(encoded);
    }
    server.use(
      http.post("https://playground-api.briqpay.com/v3/session/:id/order/refund", () =>
        HttpResponse.json(
          { error: { code: "INVALID_CREDENTIALS", message: "bad credentials" } },
          { status: 403 },
        ),
      ),
    );
    const error = await adapter
      .refund({ orderId: SESSION, amount: 100, currency: "SEK" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    const shown = `${(error as RefundError).message}${JSON.stringify(error)}${inspect(error)}`;
    expect((error as RefundError).code).toBe("authentication_failed");
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(encoded);
  });
});
