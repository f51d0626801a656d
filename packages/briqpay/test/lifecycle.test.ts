import { readFileSync } from "node:fs";
import { createReplayGuard, isRefundError, type WebhookContext } from "@refundkit/core";
import { describe, expect, it } from "vitest";
import { briqpayWebhooks, signBriqpayWebhook, toRetrieved } from "../src/index.js";

const read = (name: string): string =>
  readFileSync(new URL(`../../../specs/briqpay/examples/${name}`, import.meta.url), "utf8");

describe("toRetrieved (read session)", () => {
  it("maps data.refunds of the example: one pending refund of 1000 SEK", () => {
    const session = toRetrieved("c5674f4f", JSON.parse(read("ReadSession.200.json")));
    expect(session).toMatchObject({
      currency: "SEK",
      refundedAmount: 0,
      refunds: [
        { refundId: "a3818f9e-1c2d-4b5a-8e7f-6a5b4c3d2e1f", amount: 1000, status: "pending" },
      ],
    });
  });

  it("falls back to the deprecated top-level refunds; maps approved/rejected", () => {
    const session = toRetrieved("s", {
      sessionId: "s",
      refunds: [
        { refundId: "a", status: "approved", amountIncVat: 300, currency: "EUR" },
        { refundId: "b", status: "rejected", amountIncVat: 200, currency: "EUR" },
      ],
    });
    expect(session?.refunds.map((refund) => refund.status)).toEqual(["succeeded", "failed"]);
    expect(session?.refundedAmount).toBe(300);
  });
});

describe("briqpayWebhooks.verify", () => {
  const body = read("RefundStatusHook.request.json");
  const hook = JSON.parse(body) as { sessionId: string; refundId: string };
  const now = 1_800_000_000_000;
  const context = (
    status: string,
    secret: string | undefined = undefined,
  ): WebhookContext<"briqpay"> => ({
    secret,
    toleranceMs: undefined,
    now: () => now,
    replay: createReplayGuard(() => now),
    retrieve: async (orderId) => {
      const session = toRetrieved(orderId, {
        sessionId: orderId,
        data: {
          order: { currency: "SEK" },
          refunds: [{ refundId: hook.refundId, status, amountIncVat: 1000, currency: "SEK" }],
        },
      });
      if (session === null) throw new Error("unreachable");
      return session;
    },
  });

  it("trusts the session read: amount and status come from it", async () => {
    await expect(
      briqpayWebhooks.verify({ headers: {}, body }, context("approved")),
    ).resolves.toMatchObject({
      orderId: hook.sessionId,
      refundId: hook.refundId,
      status: "succeeded",
      amount: 1000,
      currency: "SEK",
    });
  });

  it("refuses a hook the session contradicts", async () => {
    const error = await briqpayWebhooks
      .verify({ headers: {}, body }, context("pending"))
      .catch((e: unknown) => e);
    expect(isRefundError(error) && error.code).toBe("authentication_failed");
  });

  it("with a secret: x-briq-signature required, checked, fresh and used once", async () => {
    const secret = "whsec";
    const ctx = context("approved", secret);
    const signed = { "x-briq-signature": signBriqpayWebhook(body, secret, now - 1000) };
    const failures = [
      { headers: {}, body },
      { headers: { "x-briq-signature": signBriqpayWebhook(body, "other", now) }, body },
      {
        headers: { "x-briq-signature": signBriqpayWebhook(body, secret, now - 10 * 60_000) },
        body,
      },
    ];
    for (const input of failures) {
      const error = await briqpayWebhooks.verify(input, ctx).catch((e: unknown) => e);
      expect(isRefundError(error) && error.code).toBe("authentication_failed");
    }
    await expect(briqpayWebhooks.verify({ headers: signed, body }, ctx)).resolves.toBeDefined();
    const replay = await briqpayWebhooks
      .verify({ headers: signed, body }, ctx)
      .catch((e: unknown) => e);
    expect(String((replay as Error).message)).toContain("replayed");
  });
});
