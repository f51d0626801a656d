import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createReplayGuard, isRefundError, type WebhookContext } from "@refundkit/core";
import { describe, expect, it } from "vitest";
import { sezzleWebhooks, signSezzleWebhook, toRetrieved } from "../src/index.js";

const example = (name: string): unknown =>
  JSON.parse(
    readFileSync(new URL(`../../../specs/sezzle/examples/${name}`, import.meta.url), "utf8"),
  );

describe("toRetrieved (GET /v2/order/{order_uuid})", () => {
  it("maps the documented example: one refund of 1000 USD, no time", () => {
    const order = toRetrieved("12a34bc5", example("GetV2Order.200.json"));
    expect(order).toMatchObject({
      currency: "USD",
      refundedAmount: 1000,
      refunds: [
        {
          refundId: "8316b5b4-5a5b-4c23-9f7e-1a3d2c4b5e6f",
          amount: 1000,
          currency: "USD",
          status: "succeeded",
          createdAt: null,
        },
      ],
    });
  });

  it("an order without refunds; a body that is not an order", () => {
    expect(toRetrieved("o", { uuid: "o", authorization: {} })?.refunds).toEqual([]);
    expect(toRetrieved("o", "<html>")).toBeNull();
  });
});

describe("sezzleWebhooks.verify", () => {
  const key = "sz_pr_test";
  const context = (): WebhookContext<"sezzle"> => ({
    secret: key,
    toleranceMs: undefined,
    now: () => Date.parse("2026-03-11T18:30:00Z"),
    replay: createReplayGuard(() => Date.parse("2026-03-11T18:30:00Z")),
    retrieve: async () => {
      throw new Error("not used");
    },
  });
  const body = readFileSync(
    new URL("../../../specs/sezzle/examples/OrderRefundedWebhook.request.json", import.meta.url),
    "utf8",
  );

  it("accepts the documented envelope signed (hex) with the private key", async () => {
    const event = await sezzleWebhooks.verify(
      { headers: { "Sezzle-Signature": signSezzleWebhook(body, key) }, body },
      context(),
    );
    expect(event).toMatchObject({
      type: "order.refunded",
      orderId: "12a34bc5-6de7-890f-g123-4hi5678jk901",
      eventId: "9b1c0f5e-2d3a-4c7b-8e6f-1a2b3c4d5e6f",
      status: "succeeded",
      amount: null,
    });
  });

  it("reads a base64 digest too (Sezzle does not state the encoding)", async () => {
    const base64 = createHmac("sha256", key).update(body).digest("base64");
    await expect(
      sezzleWebhooks.verify({ headers: { "sezzle-signature": base64 }, body }, context()),
    ).resolves.toMatchObject({ type: "order.refunded" });
  });

  it("refuses: no header, a garbled one, one byte changed, a future date", async () => {
    const refusals = [
      { headers: {}, body },
      { headers: { "Sezzle-Signature": "abc" }, body },
      { headers: { "Sezzle-Signature": signSezzleWebhook(body, key) }, body: `${body} ` },
    ];
    const future = body.replace("2026-03-11T18:22:32Z", "2026-03-12T18:22:32Z");
    refusals.push({
      headers: { "Sezzle-Signature": signSezzleWebhook(future, key) },
      body: future,
    });
    for (const input of refusals) {
      const error = await sezzleWebhooks.verify(input, context()).catch((e: unknown) => e);
      expect(isRefundError(error) && error.code).toBe("authentication_failed");
    }
  });

  it("without a private key: invalid_request naming it", async () => {
    const error = await sezzleWebhooks
      .verify({ headers: {}, body }, { ...context(), secret: undefined })
      .catch((e: unknown) => e);
    expect(isRefundError(error) && error.code).toBe("invalid_request");
    expect(String((error as Error).message)).toContain("privateKey");
  });
});
