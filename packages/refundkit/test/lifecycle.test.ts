/**
 * Following refunds to their end through the whole stack (facade -> provider packages ->
 * @refundkit/mock), in both mock modes: pending -> final, ambiguous -> reconciled, webhooks
 * verified, and every lookup agreeing with the mock's ledger.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MockProvider } from "@refundkit/mock";
import {
  createRefunds,
  isRefundError,
  RefundError,
  type RefundResult,
  type Refunds,
  type WebhookEvent,
} from "refundkit";
import { describe, expect, it, vi } from "vitest";
import { CURRENCIES, IDS, MODES, refundError, refundOf, useHarness } from "./harness.js";

const FAST = { intervalMs: 20, maxIntervalMs: 80 } as const;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sezzleEnvelope(orderId: string, createdAt: Date): string {
  return JSON.stringify({
    uuid: crypto.randomUUID(),
    created_at: createdAt.toISOString(),
    event: "order.refunded",
    data_type: "order",
    data: { uuid: orderId, source: "gateway" },
  });
}

function sign(body: string, key: string): string {
  return createHmac("sha256", key).update(body).digest("hex");
}

describe.each(MODES)("lifecycle through the mock (%s)", (mode) => {
  const h = useHarness(mode);
  /** Every provider; LevelUp with the merchant id its lookup needs. */
  const connect = (): Refunds =>
    h.connect({
      sezzle: h.config("sezzle"),
      optty: h.config("optty"),
      levelup: { ...h.config("levelup"), merchantId: "3225" },
      moyasar: h.config("moyasar"),
      briqpay: h.config("briqpay"),
    });

  describe("capabilities", () => {
    it("say which providers can be followed, and how", () => {
      const refunds = connect();
      const of = (provider: MockProvider) => {
        const { retrieve, webhooks } = refunds.capabilities(provider);
        return { retrieve, webhooks };
      };
      expect(of("sezzle")).toEqual({ retrieve: true, webhooks: "signed" });
      expect(of("optty")).toEqual({ retrieve: true, webhooks: "none" });
      expect(of("levelup")).toEqual({ retrieve: true, webhooks: "none" });
      expect(of("moyasar")).toEqual({ retrieve: false, webhooks: "none" });
      expect(of("briqpay")).toEqual({ retrieve: true, webhooks: "read-back" });
    });

    it("MPG: retrieve, reconcile and webhooks are unsupported", async () => {
      const refunds = connect();
      expect(
        (await refundError(refunds.retrieve({ provider: "moyasar", orderId: IDS.moyasar }))).code,
      ).toBe("unsupported");
      const timeout = new RefundError({
        code: "timeout",
        provider: "moyasar",
        message: "moyasar: no answer",
      });
      expect(
        (
          await refundError(
            refunds.reconcile(
              { provider: "moyasar", orderId: IDS.moyasar, amount: 100, currency: "SAR" },
              timeout,
            ),
          )
        ).code,
      ).toBe("unsupported");
      expect(
        (await refundError(refunds.webhooks.verify("moyasar", { headers: {}, body: "{}" }))).code,
      ).toBe("unsupported");
    });
  });

  describe("retrieve agrees with the mock's ledger", () => {
    it("Sezzle: every refund made, with its uuid and amount", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 5000, currency: "USD" });
      await refundOf(refunds, "sezzle", 1000);
      await refundOf(refunds, "sezzle", 250);
      const order = await refunds.retrieve({ provider: "sezzle", orderId: IDS.sezzle });
      const ledger = h.orders.get("sezzle", IDS.sezzle);
      expect(order.refundedAmount).toBe(ledger?.refundedAmount);
      expect(order.refundedAmount).toBe(1250);
      expect(
        order.refunds.map(({ refundId, amount, status }) => ({ refundId, amount, status })),
      ).toEqual(
        ledger?.refunds.map((refund) => ({
          refundId: refund.id,
          amount: refund.amount,
          status: "succeeded",
        })),
      );
      expect(order.currency).toBe("USD");
    });

    it("Optty: decimal amounts back to minor units, pending ones pending", async () => {
      const refunds = connect();
      h.orders.seed({
        provider: "optty",
        id: IDS.optty,
        amount: 2498,
        currency: "AUD",
        pendingRefunds: true,
      });
      const result = await refundOf(refunds, "optty", 1249);
      const order = await refunds.retrieve({ provider: "optty", orderId: IDS.optty });
      expect(order.refunds).toEqual([
        expect.objectContaining({
          refundId: result.refundId,
          amount: 1249,
          currency: "AUD",
          status: "pending",
        }),
      ]);
      expect(order.refundedAmount).toBe(0);
    });

    it("LevelUp: refunded_at null, then the whole order", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 1850 });
      const before = await refunds.retrieve({ provider: "levelup", orderId: IDS.levelup });
      expect(before.refunds).toEqual([]);
      expect(before.refundedAmount).toBe(0);
      await refunds.refund({ provider: "levelup", orderId: IDS.levelup });
      const after = await refunds.retrieve({ provider: "levelup", orderId: IDS.levelup });
      const ledger = h.orders.get("levelup", IDS.levelup);
      expect(after.refundedAmount).toBe(ledger?.refundedAmount);
      expect(after.refunds).toEqual([
        {
          refundId: null,
          amount: 1850,
          currency: "USD",
          status: "succeeded",
          createdAt: ledger?.refunds[0]?.createdAt,
        },
      ]);
    });

    it("LevelUp without merchantId: retrieve refuses, naming the field", async () => {
      const refunds = h.connect({ levelup: h.config("levelup") });
      const error = await refundError(
        refunds.retrieve({ provider: "levelup", orderId: IDS.levelup }),
      );
      expect(error.code).toBe("invalid_request");
      expect(error.message).toContain("merchantId");
      expect(h.calls).toEqual([]);
    });

    it("Briqpay: data.refunds with their statuses", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
      const a = await refundOf(refunds, "briqpay", 1000);
      const b = await refundOf(refunds, "briqpay", 500);
      h.orders.settle("briqpay", IDS.briqpay, a.refundId ?? "", "approved");
      h.orders.settle("briqpay", IDS.briqpay, b.refundId ?? "", "rejected");
      const order = await refunds.retrieve({ provider: "briqpay", orderId: IDS.briqpay });
      expect(
        order.refunds.map(({ refundId, amount, status }) => ({ refundId, amount, status })),
      ).toEqual([
        { refundId: a.refundId, amount: 1000, status: "succeeded" },
        { refundId: b.refundId, amount: 500, status: "failed" },
      ]);
      expect(order.refundedAmount).toBe(1000);
      expect(h.orders.get("briqpay", IDS.briqpay)?.refundedAmount).toBe(1000);
    });

    it("an unknown order is not_found, and a path-changing id is refused before sending", async () => {
      const refunds = connect();
      expect(
        (await refundError(refunds.retrieve({ provider: "sezzle", orderId: "no-such-order" })))
          .code,
      ).toBe("not_found");
      const calls = h.calls.length;
      expect(
        (await refundError(refunds.retrieve({ provider: "sezzle", orderId: "../admin" }))).code,
      ).toBe("invalid_request");
      expect(h.calls.length).toBe(calls);
    });
  });

  describe("waitUntilFinal", () => {
    async function pendingBriqpay(refunds: Refunds, settleAs?: "approved" | "rejected") {
      h.orders.seed({
        provider: "briqpay",
        id: IDS.briqpay,
        amount: 3000,
        currency: "SEK",
        ...(settleAs === undefined ? {} : { settleAs }),
      });
      const result = await refundOf(refunds, "briqpay", 1000);
      expect(result.status).toBe("pending");
      return result;
    }

    it("Briqpay pending -> approved: resolves with the succeeded refund", async () => {
      const refunds = connect();
      const result = await pendingBriqpay(refunds);
      const waiting = refunds.waitUntilFinal(result, { ...FAST, timeoutMs: 5_000 });
      await sleep(120);
      h.orders.settle("briqpay", IDS.briqpay, result.refundId ?? "");
      const final = await waiting;
      expect(final).toMatchObject({
        provider: "briqpay",
        orderId: IDS.briqpay,
        refundId: result.refundId,
        amount: 1000,
        currency: "SEK",
        status: "succeeded",
      });
      // It polled while pending: more than one lookup.
      expect(h.calls.filter((call) => call.method === "GET").length).toBeGreaterThan(1);
    });

    it("Briqpay pending -> rejected: RefundError declined", async () => {
      const refunds = connect();
      const result = await pendingBriqpay(refunds, "rejected");
      const waiting = refunds.waitUntilFinal(result, { ...FAST, timeoutMs: 5_000 });
      await sleep(60);
      h.orders.settle("briqpay", IDS.briqpay, result.refundId ?? "");
      const error = await refundError(waiting);
      expect(error.code).toBe("declined");
      expect(error.provider).toBe("briqpay");
    });

    it("still pending at the deadline: RefundError timeout", async () => {
      const refunds = connect();
      const result = await pendingBriqpay(refunds);
      const started = Date.now();
      const error = await refundError(refunds.waitUntilFinal(result, { ...FAST, timeoutMs: 250 }));
      expect(error.code).toBe("timeout");
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it("the caller's signal cancels the wait with its reason", async () => {
      const refunds = connect();
      const result = await pendingBriqpay(refunds);
      const controller = new AbortController();
      const waiting = refunds.waitUntilFinal(result, { ...FAST, signal: controller.signal });
      setTimeout(() => controller.abort(new Error("stop")), 50);
      await expect(waiting).rejects.toThrow("stop");
    });

    it("Optty pending -> settled", async () => {
      const refunds = connect();
      h.orders.seed({
        provider: "optty",
        id: IDS.optty,
        amount: 2498,
        currency: "AUD",
        pendingRefunds: true,
      });
      const result = await refundOf(refunds, "optty", 1000);
      expect(result.status).toBe("pending");
      const waiting = refunds.waitUntilFinal(result, { ...FAST, timeoutMs: 5_000 });
      await sleep(80);
      h.orders.settle("optty", IDS.optty, result.refundId ?? "");
      expect(await waiting).toMatchObject({
        refundId: result.refundId,
        amount: 1000,
        status: "succeeded",
      });
    });

    it("a succeeded result resolves at once, without a lookup", async () => {
      const refunds = connect();
      const result: RefundResult<"moyasar"> = {
        provider: "moyasar",
        orderId: IDS.moyasar,
        status: "succeeded",
        refundId: "t-1",
        amount: 100,
        currency: "SAR",
        idempotencyKey: "t-1",
        raw: {},
      };
      expect(await refunds.waitUntilFinal(result)).toMatchObject({
        status: "succeeded",
        amount: 100,
      });
      expect(h.calls).toEqual([]);
    });
  });

  it.each([
    ["sezzle", (call: { path: string }) => call.path === "/v2/authentication"],
    ["optty", (call: { path: string }) => call.path.endsWith("/token")],
  ] as const)(
    "%s: refund() then retrieve() ask for one token between them",
    async (provider, isTokenCall) => {
      const refunds = connect();
      h.orders.seed({ provider, id: IDS[provider], amount: 5000, currency: CURRENCIES[provider] });
      await refundOf(refunds, provider, 500);
      const order = await refunds.retrieve({ provider, orderId: IDS[provider] });
      expect(order.refunds).toHaveLength(1);
      // The refund adapter and the lookup are two clients of one createRefunds(): one token cache.
      expect(h.calls.filter(isTokenCall)).toHaveLength(1);
    },
  );

  describe("reconcile", () => {
    it("LevelUp reset after commit: refunded", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 900 });
      h.faults.inject({ provider: "levelup", kind: "reset_after_commit" });
      const request = { provider: "levelup" as const, orderId: IDS.levelup };
      const error = await refundError(refunds.refund(request));
      expect(error.code).toBe("network_error");
      const answer = await refunds.reconcile(request, error);
      expect(answer).toEqual({
        refunded: true,
        refund: expect.objectContaining({ amount: 900, status: "succeeded" }),
      });
    });

    it("Briqpay reset after commit: refunded (the refund, still pending)", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
      h.faults.inject({ provider: "briqpay", kind: "reset_after_commit" });
      const request = {
        provider: "briqpay" as const,
        orderId: IDS.briqpay,
        amount: 1200,
        currency: "SEK",
      };
      const error = await refundError(refunds.refund(request));
      const answer = await refunds.reconcile(request, error);
      const ledger = h.orders.get("briqpay", IDS.briqpay)?.refunds[0];
      expect(answer).toEqual({
        refunded: true,
        refund: expect.objectContaining({ refundId: ledger?.id, amount: 1200, status: "pending" }),
      });
    });

    it("refused before commit (500, hang): not refunded", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
      h.faults.inject({ provider: "briqpay", kind: "http_500" });
      const request = {
        provider: "briqpay" as const,
        orderId: IDS.briqpay,
        amount: 1200,
        currency: "SEK",
      };
      const failed = await refundError(refunds.refund(request));
      expect(failed.code).toBe("provider_error");
      expect(await refunds.reconcile(request, failed)).toEqual({ refunded: false });

      h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 900 });
      h.faults.inject({ provider: "levelup", kind: "hang" });
      const hung = await refundError(refunds.refund({ provider: "levelup", orderId: IDS.levelup }));
      expect(hung.code).toBe("timeout");
      expect(await refunds.reconcile({ provider: "levelup", orderId: IDS.levelup }, hung)).toEqual({
        refunded: false,
      });
    });

    it("two refunds of the same amount since the attempt: unknown, never a guess", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
      const request = {
        provider: "briqpay" as const,
        orderId: IDS.briqpay,
        amount: 1000,
        currency: "SEK",
      };
      await refunds.refund(request);
      h.faults.inject({ provider: "briqpay", kind: "reset_after_commit" });
      const error = await refundError(refunds.refund(request));
      const answer = await refunds.reconcile(request, error);
      expect(answer.refunded).toBe("unknown");
    });

    describe("sentAt: reconciling in a new process (a re-run after a crash)", () => {
      const request = {
        provider: "briqpay" as const,
        orderId: IDS.briqpay,
        amount: 1200,
        currency: "SEK",
      };
      /** What a new process has: no attempt of its own, an error it makes for the lost answer. */
      const lostAnswer = () =>
        new RefundError({
          code: "network_error",
          provider: "briqpay",
          message: "briqpay: the previous run stopped before this refund's answer was recorded",
          status: null,
          retryable: false,
        });

      it("a refund made after the send is this request's (Date or epoch ms)", async () => {
        h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
        const sentAt = Date.now();
        // The first process: the refund is made, its answer lost.
        h.faults.inject({ provider: "briqpay", kind: "reset_after_commit" });
        await refundError(connect().refund(request));
        const ledger = h.orders.get("briqpay", IDS.briqpay)?.refunds;
        expect(ledger).toHaveLength(1);

        const fresh = connect();
        // Without the send time the new process cannot place the refund: a person looks.
        expect((await fresh.reconcile(request, lostAnswer())).refunded).toBe("unknown");
        for (const given of [sentAt, new Date(sentAt)]) {
          expect(await fresh.reconcile({ ...request, sentAt: given }, lostAnswer())).toEqual({
            refunded: true,
            refund: expect.objectContaining({ refundId: ledger?.[0]?.id, amount: 1200 }),
          });
        }
      });

      it("only a refund from before the send: not claimed", async () => {
        h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
        // An earlier refund of the same amount, an hour before this request was sent.
        h.advanceClock(-60 * 60 * 1000);
        await connect().refund(request);
        h.advanceClock(60 * 60 * 1000);
        const answer = await connect().reconcile({ ...request, sentAt: Date.now() }, lostAnswer());
        expect(answer).toEqual({ refunded: false });
        expect(h.orders.get("briqpay", IDS.briqpay)?.refunds).toHaveLength(1);
      });

      it("a refund stamped just before the send (within clock skew): unknown, not claimed", async () => {
        h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
        h.advanceClock(-60 * 1000);
        await connect().refund(request);
        h.advanceClock(60 * 1000);
        const answer = await connect().reconcile({ ...request, sentAt: Date.now() }, lostAnswer());
        expect(answer).toEqual({
          refunded: "unknown",
          reason: expect.stringContaining("clocks may differ"),
        });
      });

      it("LevelUp: an order refunded before the send is not this request's refund", async () => {
        h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 900 });
        h.advanceClock(-60 * 60 * 1000);
        await connect().refund({ provider: "levelup", orderId: IDS.levelup });
        h.advanceClock(60 * 60 * 1000);
        const levelup = { provider: "levelup" as const, orderId: IDS.levelup };
        const lost = new RefundError({
          code: "network_error",
          provider: "levelup",
          message: "levelup: the previous run stopped before this refund's answer was recorded",
          status: null,
          retryable: false,
        });
        const fresh = connect();
        expect(await fresh.reconcile({ ...levelup, sentAt: Date.now() }, lost)).toEqual({
          refunded: false,
        });
        // Sent before that refund: it is this request's.
        expect(
          await fresh.reconcile({ ...levelup, sentAt: Date.now() - 2 * 60 * 60 * 1000 }, lost),
        ).toEqual({ refunded: true, refund: expect.objectContaining({ amount: 900 }) });
      });

      it("a bad sentAt: invalid_request before any request", async () => {
        const refunds = connect();
        const bad: unknown[] = [
          new Date(Number.NaN),
          "2026-01-01T00:00:00Z",
          1.5e12 + 0.5,
          Math.floor(Date.now() / 1000),
          Date.now() + 60 * 60 * 1000,
        ];
        for (const sentAt of bad) {
          const error = await refundError(
            refunds.reconcile({ ...request, sentAt: sentAt as number }, lostAnswer()),
          );
          expect(error.code, String(sentAt)).toBe("invalid_request");
          expect(error.message).toContain("sentAt");
        }
        expect(h.calls).toHaveLength(0);
      });
    });

    it("the caller's own abort: reconcile takes the signal's reason refund() rejected with", async () => {
      // The refund reaches the mock (which refunds), its answer is held until the caller aborts;
      // the lookup is answered.
      const refunds = createRefunds(
        { levelup: { ...h.config("levelup"), merchantId: "3225" } },
        {
          fetch: async (input, init) => {
            const response = await h.fetch(input, init);
            const method = input instanceof Request ? input.method : init?.method;
            return method === "POST" ? new Promise<Response>(() => {}) : response;
          },
        },
      );
      h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 900 });
      const request = { provider: "levelup" as const, orderId: IDS.levelup };
      const controller = new AbortController();
      const pending = refunds.refund({ ...request, signal: controller.signal });
      await vi.waitFor(() => expect(h.orders.get("levelup", IDS.levelup)?.refunds).toHaveLength(1));
      const reason = new DOMException("the user left", "AbortError");
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason); // as fetch does
      expect(await refunds.reconcile(request, reason)).toEqual({
        refunded: true,
        refund: expect.objectContaining({ amount: 900, status: "succeeded" }),
      });
      // An abort reason no refund() of this instance rejected with proves nothing.
      const other = await refundError(
        refunds.reconcile(request, new DOMException("x", "AbortError")),
      );
      expect(other.code).toBe("invalid_request");
    });

    it("refuses an error that is not a RefundError of this provider", async () => {
      const refunds = connect();
      const error = await refundError(
        refunds.reconcile({ provider: "briqpay", orderId: IDS.briqpay }, new Error("boom")),
      );
      expect(error.code).toBe("invalid_request");
    });
  });

  describe("webhooks", () => {
    async function sezzleDelivery(refunds: Refunds) {
      h.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 5000, currency: "USD" });
      await refundOf(refunds, "sezzle", 700);
      const [event] = h.webhooks.events();
      if (event === undefined) throw new Error("no webhook emitted");
      return event;
    }

    it("Sezzle: a delivery signed by the mock is verified and normalised", async () => {
      const refunds = connect();
      const delivery = await sezzleDelivery(refunds);
      const event = await refunds.webhooks.verify("sezzle", {
        headers: delivery.headers,
        body: Buffer.from(delivery.body),
      });
      expect(event).toMatchObject({
        provider: "sezzle",
        type: "order.refunded",
        orderId: IDS.sezzle,
        status: "succeeded",
      });
      expect(event.eventId).toBe(JSON.parse(delivery.body).uuid);
    });

    it("Sezzle: tampered body, wrong key, stale and replayed deliveries are refused", async () => {
      const refunds = connect();
      const delivery = await sezzleDelivery(refunds);
      const tampered = delivery.body.replace(IDS.sezzle, "11111111-1111-4111-8111-111111111111");
      const refusals: string[] = [];
      const expectRefused = async (promise: Promise<WebhookEvent>) => {
        const error = await refundError(promise);
        expect(error.code).toBe("authentication_failed");
        refusals.push(error.message);
      };
      await expectRefused(
        refunds.webhooks.verify("sezzle", { headers: delivery.headers, body: tampered }),
      );
      await expectRefused(
        refunds.webhooks.verify("sezzle", {
          headers: delivery.headers,
          body: delivery.body,
          secret: "someone-elses-key",
        }),
      );
      const key = h.credentials.sezzle.privateKey;
      const old = sezzleEnvelope(IDS.sezzle, new Date(Date.now() - 6 * 24 * 3600 * 1000));
      await expectRefused(
        refunds.webhooks.verify("sezzle", {
          headers: { "Sezzle-Signature": sign(old, key) },
          body: old,
        }),
      );
      // The genuine delivery once, then its replay.
      await refunds.webhooks.verify("sezzle", { headers: delivery.headers, body: delivery.body });
      await expectRefused(
        refunds.webhooks.verify("sezzle", { headers: delivery.headers, body: delivery.body }),
      );
      expect(refusals[2]).toContain("stale");
      expect(refusals[3]).toContain("replayed");
    });

    it("Sezzle: the mock's forged and duplicated faults are refused", async () => {
      const refunds = connect();
      h.webhooks.inject({ provider: "sezzle", kind: "forged" });
      const forged = await sezzleDelivery(refunds);
      expect(
        (
          await refundError(
            refunds.webhooks.verify("sezzle", { headers: forged.headers, body: forged.body }),
          )
        ).code,
      ).toBe("authentication_failed");
      h.webhooks.reset();
      h.webhooks.inject({ provider: "sezzle", kind: "duplicated" });
      await refundOf(refunds, "sezzle", 100);
      const [first, second] = h.webhooks.events();
      expect(second?.body).toBe(first?.body);
      await refunds.webhooks.verify("sezzle", {
        headers: first?.headers ?? {},
        body: first?.body ?? "",
      });
      expect(
        (
          await refundError(
            refunds.webhooks.verify("sezzle", {
              headers: second?.headers ?? {},
              body: second?.body ?? "",
            }),
          )
        ).code,
      ).toBe("authentication_failed");
    });

    it("Briqpay: pending -> approved and -> rejected, each hook verified by reading back", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
      const a = await refundOf(refunds, "briqpay", 1000);
      const b = await refundOf(refunds, "briqpay", 400);
      // The "pending" hooks are verified while the refunds are pending...
      const pendingHooks = h.webhooks.events();
      for (const hook of pendingHooks) {
        expect((await refunds.webhooks.verify("briqpay", hook)).status).toBe("pending");
      }
      h.orders.settle("briqpay", IDS.briqpay, a.refundId ?? "", "approved");
      h.orders.settle("briqpay", IDS.briqpay, b.refundId ?? "", "rejected");
      const [, , approved, rejected] = h.webhooks.events();
      expect(
        await refunds.webhooks.verify("briqpay", approved ?? { headers: {}, body: "" }),
      ).toMatchObject({
        provider: "briqpay",
        orderId: IDS.briqpay,
        refundId: a.refundId,
        status: "succeeded",
        amount: 1000,
        currency: "SEK",
      });
      expect(
        await refunds.webhooks.verify("briqpay", rejected ?? { headers: {}, body: "" }),
      ).toMatchObject({
        refundId: b.refundId,
        status: "failed",
        amount: 400,
      });
      // ...and a stale "pending" hook, once the session says otherwise, is refused.
      const stale = pendingHooks[0];
      expect(
        (await refundError(refunds.webhooks.verify("briqpay", stale ?? { headers: {}, body: "" })))
          .message,
      ).toContain("read-back disagrees");
    });

    it("Briqpay: a forged hook (a status the session does not have) or an unknown refund is refused", async () => {
      const refunds = connect();
      h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
      h.webhooks.inject({ provider: "briqpay", kind: "forged" });
      await refundOf(refunds, "briqpay", 1000);
      const [forged] = h.webhooks.events();
      expect(JSON.parse(forged?.body ?? "{}").status).toBe("approved");
      expect(
        (await refundError(refunds.webhooks.verify("briqpay", forged ?? { headers: {}, body: "" })))
          .code,
      ).toBe("authentication_failed");
      const invented = JSON.stringify({
        event: "refund_status",
        status: "approved",
        sessionId: IDS.briqpay,
        refundId: crypto.randomUUID(),
      });
      expect(
        (await refundError(refunds.webhooks.verify("briqpay", { headers: {}, body: invented })))
          .message,
      ).toContain("has no refund");
    });
  });

  if (mode === "http") {
    it("a plain node:http receiver verifies the mock's HTTP deliveries (the README handler)", async () => {
      const secret = "whsec-briqpay-test";
      const refunds = h.connect({
        sezzle: h.config("sezzle"),
        briqpay: { ...h.config("briqpay"), webhookSecret: secret },
      });
      const verified: WebhookEvent[] = [];
      const refused: string[] = [];
      // The README's handler: raw body bytes in, verify, 200 or 400.
      const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
        const provider = req.url === "/webhooks/sezzle" ? "sezzle" : "briqpay";
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", async () => {
          try {
            verified.push(
              await refunds.webhooks.verify(provider, {
                headers: req.headers,
                body: Buffer.concat(chunks),
              }),
            );
            res.writeHead(200).end();
          } catch (error) {
            refused.push(`${provider} ${isRefundError(error) ? error.code : String(error)}`);
            res.writeHead(400).end();
          }
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      try {
        const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
        h.webhooks.register({ provider: "briqpay", url: `${base}/briqpay`, secret });
        h.webhooks.register({ provider: "sezzle", url: `${base}/sezzle` });
        h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3000, currency: "SEK" });
        h.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 3000, currency: "USD" });
        const result = await refundOf(refunds, "briqpay", 1000);
        await h.webhooks.flush();
        h.orders.settle("briqpay", IDS.briqpay, result.refundId ?? "");
        await h.webhooks.flush();
        h.webhooks.inject({ provider: "briqpay", kind: "forged" });
        await refundOf(refunds, "briqpay", 100);
        await h.webhooks.flush();
        h.webhooks.inject({ provider: "sezzle", kind: "duplicated" });
        await refundOf(refunds, "sezzle", 500);
        await h.webhooks.flush();
        h.webhooks.inject({ provider: "sezzle", kind: "forged" });
        await refundOf(refunds, "sezzle", 200);
        await h.webhooks.flush();

        expect(verified.map((event) => `${event.provider} ${event.status}`)).toEqual([
          "briqpay pending",
          "briqpay succeeded",
          "sezzle succeeded",
        ]);
        // Briqpay's forged hook, Sezzle's duplicate (a replay) and Sezzle's forged signature.
        expect(refused).toEqual([
          "briqpay authentication_failed",
          "sezzle authentication_failed",
          "sezzle authentication_failed",
        ]);
        const statuses = h.webhooks.deliveries().map((delivery) => delivery.status);
        expect(statuses.slice(0, 3)).toEqual([200, 200, 400]);
        // The duplicate's two copies arrive together: whichever is verified first is accepted.
        expect(statuses.slice(3, 5).sort()).toEqual([200, 400]);
        expect(statuses[5]).toBe(400);
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    });
  }
});
