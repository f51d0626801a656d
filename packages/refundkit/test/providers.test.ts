/**
 * Every provider through the whole stack (facade -> adapter -> client -> fetch -> @refundkit/mock),
 * in msw mode and over real HTTP: partial, full, over-refund, already refunded, not found, auth
 * failure, token fetch and refresh, pending then settled, in-flight duplicate, bad input.
 * Each case checks the whole RefundResult / RefundError and the mock's ledger afterwards.
 */
import type { RefundRequest } from "refundkit";
import { describe, expect, it } from "vitest";
import { expectError, IDS, MISSING_IDS, MODES, refundError, UUID, useHarness } from "./harness.js";

const LEVELUP_ALREADY_REFUNDED =
  "The refund was unsuccessful. Perhaps this order has already been refunded or was unsuccessful.";

describe.each(MODES)("%s mode", (mode) => {
  const h = useHarness(mode);

  describe("sezzle", () => {
    const orderId = IDS.sezzle;
    const seed = (amount = 10_000) =>
      h.orders.seed({ provider: "sezzle", id: orderId, amount, currency: "USD" });

    it("refunds part of an order with the Sezzle-Request-Id header and reports it exactly", async () => {
      seed();
      const refunds = h.connect();
      const result = await refunds.refund({
        provider: "sezzle",
        orderId,
        amount: 2_500,
        currency: "USD",
        idempotencyKey: "sz-partial-1",
      });
      const order = h.orders.get("sezzle", orderId);
      expect(order?.refunds).toHaveLength(1);
      const entry = order?.refunds[0];
      expect(entry).toMatchObject({
        amount: 2_500,
        currency: "USD",
        idempotencyKey: "sz-partial-1",
      });
      expect(result).toEqual({
        provider: "sezzle",
        orderId,
        status: "succeeded",
        refundId: entry?.id,
        amount: 2_500,
        currency: "USD",
        idempotencyKey: "sz-partial-1",
        raw: { uuid: entry?.id },
      });
      expect(order?.refundedAmount).toBe(2_500);
      expect(order?.refundableAmount).toBe(7_500);

      const [call, ...more] = h.refundCalls("sezzle");
      expect(more).toHaveLength(0);
      expect(call?.path).toBe(`/v2/order/${orderId}/refund`);
      expect(call?.headers["sezzle-request-id"]).toBe("sz-partial-1");
      expect(call?.headers.authorization).toMatch(/^Bearer \S+\.\S+\.\S+$/);
      expect(JSON.parse(call?.body ?? "")).toEqual({ amount_in_cents: 2_500, currency: "USD" });
    });

    it("refunds the rest in a second partial refund, down to nothing refundable", async () => {
      seed();
      const refunds = h.connect();
      await refunds.refund({ provider: "sezzle", orderId, amount: 2_500, currency: "USD" });
      const rest = await refunds.refund({
        provider: "sezzle",
        orderId,
        amount: 7_500,
        currency: "USD",
      });
      expect(rest).toMatchObject({ status: "succeeded", amount: 7_500, currency: "USD" });
      expect(rest.idempotencyKey).toMatch(UUID);
      const order = h.orders.get("sezzle", orderId);
      expect(order?.refunds.map((r) => r.amount)).toEqual([2_500, 7_500]);
      expect(order?.refundableAmount).toBe(0);
      expect(order?.refunds[1]?.idempotencyKey).toBe(rest.idempotencyKey);
    });

    it("refunds the full captured amount when asked for it, but has no refund without an amount", async () => {
      seed(4_200);
      const refunds = h.connect();
      const error = await refundError(
        refunds.refund({ provider: "sezzle", orderId } as RefundRequest),
      );
      expectError(error, {
        code: "unsupported",
        provider: "sezzle",
        status: null,
        retryable: false,
      });
      expect(h.calls).toHaveLength(0);
      const full = await refunds.refund({
        provider: "sezzle",
        orderId,
        amount: 4_200,
        currency: "USD",
      });
      expect(full).toMatchObject({ status: "succeeded", amount: 4_200 });
      expect(h.orders.get("sezzle", orderId)?.refundableAmount).toBe(0);
    });

    it("over-refund: amount_exceeds_refundable with Sezzle's error array, nothing refunded", async () => {
      seed(1_000);
      const error = await refundError(
        h.connect().refund({ provider: "sezzle", orderId, amount: 1_001, currency: "USD" }),
      );
      expectError(error, {
        code: "amount_exceeds_refundable",
        provider: "sezzle",
        status: 422,
        retryable: false,
      });
      expect(error.raw).toEqual([
        { code: "invalid", message: "refund amount exceeds the remaining captured amount" },
      ]);
      expect(h.orders.get("sezzle", orderId)?.refunds).toEqual([]);
      expect(h.refundCalls("sezzle")).toHaveLength(1);
    });

    it("already fully refunded: a further refund is amount_exceeds_refundable, one ledger entry", async () => {
      seed(1_000);
      const refunds = h.connect();
      await refunds.refund({ provider: "sezzle", orderId, amount: 1_000, currency: "USD" });
      const error = await refundError(
        refunds.refund({ provider: "sezzle", orderId, amount: 1, currency: "USD" }),
      );
      expectError(error, {
        code: "amount_exceeds_refundable",
        provider: "sezzle",
        status: 422,
        retryable: false,
      });
      expect(h.orders.get("sezzle", orderId)?.refunds).toHaveLength(1);
    });

    it("currency that does not match the order: not_refundable (Sezzle 422 invalid)", async () => {
      seed();
      const error = await refundError(
        h.connect().refund({ provider: "sezzle", orderId, amount: 100, currency: "EUR" }),
      );
      expectError(error, {
        code: "not_refundable",
        provider: "sezzle",
        status: 422,
        retryable: false,
      });
      expect(error.raw).toEqual([
        { code: "invalid", message: "currency does not match the order" },
      ]);
      expect(h.orders.get("sezzle", orderId)?.refunds).toEqual([]);
    });

    it("unknown order: not_found with record_not_found", async () => {
      const error = await refundError(
        h.connect().refund({
          provider: "sezzle",
          orderId: MISSING_IDS.sezzle,
          amount: 100,
          currency: "USD",
        }),
      );
      expectError(error, { code: "not_found", provider: "sezzle", status: 404, retryable: false });
      expect(error.raw).toEqual([{ code: "record_not_found", message: "not found" }]);
    });

    it("wrong API keys: authentication_failed from /v2/authentication, no refund request", async () => {
      seed();
      const refunds = h.connect({
        sezzle: { ...h.config("sezzle"), privateKey: "sz_pr_wrong" },
      });
      const error = await refundError(
        refunds.refund({ provider: "sezzle", orderId, amount: 100, currency: "USD" }),
      );
      expectError(error, {
        code: "authentication_failed",
        provider: "sezzle",
        status: 401,
        retryable: false,
      });
      expect(error.raw).toEqual([{ code: "unauthorized", message: "authorization not accepted" }]);
      expect(h.refundCalls("sezzle")).toHaveLength(0);
      expect(h.calls.map((c) => c.path)).toEqual(["/v2/authentication"]);
      expect(h.orders.get("sezzle", orderId)?.refunds).toEqual([]);
    });

    it("a bearer token the mock does not know: authentication_failed after one refund request", async () => {
      seed();
      const {
        publicKey: _p,
        privateKey: _k,
        ...where
      } = h.config("sezzle") as {
        publicKey?: string;
        privateKey?: string;
      };
      const refunds = h.connect({ sezzle: { ...where, token: "not-a-sezzle-token" } });
      const error = await refundError(
        refunds.refund({ provider: "sezzle", orderId, amount: 100, currency: "USD" }),
      );
      expectError(error, {
        code: "authentication_failed",
        provider: "sezzle",
        status: 401,
        retryable: false,
      });
      expect(h.refundCalls("sezzle")).toHaveLength(1);
      expect(h.refundCalls("sezzle")[0]?.headers.authorization).toBe("Bearer not-a-sezzle-token");
      expect(h.orders.get("sezzle", orderId)?.refunds).toEqual([]);
    });

    it("fetches a token once, reuses it, and fetches a new one when the mock's token expires", async () => {
      seed();
      const refunds = h.connect();
      const auth = () => h.calls.filter((c) => c.path === "/v2/authentication");
      await refunds.refund({ provider: "sezzle", orderId, amount: 100, currency: "USD" });
      await refunds.refund({ provider: "sezzle", orderId, amount: 100, currency: "USD" });
      expect(auth()).toHaveLength(1);
      expect(JSON.parse(auth()[0]?.body ?? "")).toEqual({
        public_key: "sz_pub_mock",
        private_key: "sz_pr_mock",
      });
      const firstToken = h.refundCalls("sezzle")[0]?.headers.authorization;

      h.advanceClock(3 * 60 * 60 * 1000); // Sezzle tokens live 2 h on the mock's clock
      const result = await refunds.refund({
        provider: "sezzle",
        orderId,
        amount: 100,
        currency: "USD",
        idempotencyKey: "sz-after-expiry",
      });
      expect(result).toMatchObject({ status: "succeeded", idempotencyKey: "sz-after-expiry" });
      expect(auth()).toHaveLength(2);
      const last = h.refundCalls("sezzle").slice(-2);
      // The refused request and its resend: same handle, the second with the fresh token.
      expect(last.map((c) => c.headers["sezzle-request-id"])).toEqual([
        "sz-after-expiry",
        "sz-after-expiry",
      ]);
      expect(last[0]?.headers.authorization).toBe(firstToken);
      expect(last[1]?.headers.authorization).not.toBe(firstToken);
      expect(h.orders.get("sezzle", orderId)?.refunds.map((r) => r.amount)).toEqual([
        100, 100, 100,
      ]);
    });

    it("refreshes the token after the mock's expired_token answer and refunds once", async () => {
      seed();
      const refunds = h.connect();
      await refunds.refund({ provider: "sezzle", orderId, amount: 100, currency: "USD" });
      h.faults.inject({ provider: "sezzle", kind: "expired_token" });
      const result = await refunds.refund({
        provider: "sezzle",
        orderId,
        amount: 200,
        currency: "USD",
      });
      expect(result).toMatchObject({ status: "succeeded", amount: 200 });
      expect(h.calls.filter((c) => c.path === "/v2/authentication")).toHaveLength(2);
      expect(h.orders.get("sezzle", orderId)?.refunds.map((r) => r.amount)).toEqual([100, 200]);
    });
  });

  describe("optty", () => {
    const orderId = IDS.optty;
    const seed = (amount = 2_498, currency = "AUD") =>
      h.orders.seed({ provider: "optty", id: orderId, amount, currency });

    it("a BNPL that settles later: pending with Optty's callbackUrl, then settled in the ledger", async () => {
      h.orders.seed({
        provider: "optty",
        id: orderId,
        amount: 2_498,
        currency: "AUD",
        pendingRefunds: true,
      });
      const result = await h.connect().refund({
        provider: "optty",
        orderId,
        amount: 500,
        currency: "AUD",
        idempotencyKey: "op-pending-1",
      });
      const entry = h.orders.get("optty", orderId)?.refunds[0];
      expect(result).toMatchObject({
        provider: "optty",
        status: "pending",
        refundId: entry?.id,
        amount: 500,
        currency: "AUD",
        idempotencyKey: "op-pending-1",
        raw: { refundStatus: "PENDING", callbackUrl: expect.stringContaining(entry?.id ?? "?") },
      });
      expect(entry?.status).toBe("pending");
      h.orders.settle("optty", orderId, result.refundId ?? "");
      expect(h.orders.get("optty", orderId)?.refunds[0]?.status).toBe("approved");
    });

    it("refunds part of an order in decimal major units with refundReference", async () => {
      seed();
      const refunds = h.connect();
      const result = await refunds.refund({
        provider: "optty",
        orderId,
        amount: 1_000,
        currency: "AUD",
        idempotencyKey: "op-partial-1",
        reason: "Damaged item",
      });
      const order = h.orders.get("optty", orderId);
      const entry = order?.refunds[0];
      expect(order?.refunds).toHaveLength(1);
      expect(entry).toMatchObject({
        amount: 1_000,
        currency: "AUD",
        idempotencyKey: "op-partial-1",
      });
      expect(result).toEqual({
        provider: "optty",
        orderId,
        status: "succeeded",
        refundId: entry?.id,
        amount: 1_000,
        currency: "AUD",
        idempotencyKey: "op-partial-1",
        raw: {
          refundReference: "op-partial-1",
          bnplProvider: "KLARNA_AU",
          refundedAmount: 10,
          refundStatus: "SUCCESSFUL",
          description: {},
          refundDate: expect.any(String),
          bnplRefundId: entry?.id,
        },
      });
      const [call, ...more] = h.refundCalls("optty");
      expect(more).toHaveLength(0);
      expect(call?.path).toBe(`/orders/${orderId}/refund`);
      expect(call?.body).toBe(
        '{"refundReference":"op-partial-1","refundAmount":{"amount":10,"currency":"AUD"},"refundDescription":"Damaged item"}',
      );
    });

    it("sends 24.98 as 24.98 and defaults the description to Refund", async () => {
      seed();
      const result = await h
        .connect()
        .refund({ provider: "optty", orderId, amount: 2_498, currency: "AUD" });
      expect(result).toMatchObject({ status: "succeeded", amount: 2_498, currency: "AUD" });
      const body = JSON.parse(h.refundCalls("optty")[0]?.body ?? "");
      expect(body.refundAmount).toEqual({ amount: 24.98, currency: "AUD" });
      expect(body.refundDescription).toBe("Refund");
      expect(body.refundReference).toBe(result.idempotencyKey);
      expect(result.idempotencyKey).toMatch(UUID);
      expect(h.orders.get("optty", orderId)?.refundableAmount).toBe(0);
    });

    it("the same refundReference again is answered from the first refund, not refunded twice", async () => {
      seed();
      const refunds = h.connect();
      const request = {
        provider: "optty",
        orderId,
        amount: 1_000,
        currency: "AUD",
        idempotencyKey: "op-replay",
      } as const;
      const first = await refunds.refund(request);
      const second = await refunds.refund(request);
      expect(second).toEqual(first);
      expect(h.refundCalls("optty")).toHaveLength(2);
      expect(h.orders.get("optty", orderId)?.refunds).toHaveLength(1);
    });

    it("over-refund: amount_exceeds_refundable with Optty's message", async () => {
      seed();
      const refunds = h.connect();
      await refunds.refund({ provider: "optty", orderId, amount: 1_000, currency: "AUD" });
      const error = await refundError(
        refunds.refund({ provider: "optty", orderId, amount: 2_000, currency: "AUD" }),
      );
      expectError(error, {
        code: "amount_exceeds_refundable",
        provider: "optty",
        status: 400,
        retryable: false,
      });
      expect(error.raw).toEqual({
        statusCode: 400,
        message: "You can only refund amount up to AUD 14.98",
        error: "Bad Request",
      });
      expect(h.orders.get("optty", orderId)?.refunds).toHaveLength(1);
    });

    it("already fully refunded: amount_exceeds_refundable (up to AUD 0.00)", async () => {
      seed();
      const refunds = h.connect();
      await refunds.refund({ provider: "optty", orderId, amount: 2_498, currency: "AUD" });
      const error = await refundError(
        refunds.refund({ provider: "optty", orderId, amount: 1, currency: "AUD" }),
      );
      expectError(error, {
        code: "amount_exceeds_refundable",
        provider: "optty",
        status: 400,
        retryable: false,
      });
      expect((error.raw as { message: string }).message).toBe(
        "You can only refund amount up to AUD 0.00",
      );
      expect(h.orders.get("optty", orderId)?.refunds).toHaveLength(1);
    });

    it("unknown order: not_found", async () => {
      const error = await refundError(
        h.connect().refund({
          provider: "optty",
          orderId: MISSING_IDS.optty,
          amount: 100,
          currency: "AUD",
        }),
      );
      expectError(error, { code: "not_found", provider: "optty", status: 404, retryable: false });
      expect(error.raw).toEqual({ statusCode: 404, message: "Not Found" });
    });

    it("wrong client secret: authentication_failed from the token endpoint, no refund request", async () => {
      seed();
      const refunds = h.connect({ optty: { ...h.config("optty"), clientSecret: "wrong" } });
      const error = await refundError(
        refunds.refund({ provider: "optty", orderId, amount: 100, currency: "AUD" }),
      );
      expectError(error, {
        code: "authentication_failed",
        provider: "optty",
        status: 401,
        retryable: false,
      });
      expect(error.raw).toEqual({ statusCode: 401, message: "Unauthorized" });
      expect(h.refundCalls("optty")).toHaveLength(0);
      expect(h.calls).toHaveLength(1);
      expect(h.calls[0]?.provider).toBe("opttyAuth");
      expect(h.orders.get("optty", orderId)?.refunds).toEqual([]);
    });

    it("fetches a client-credentials token (form-encoded) and a new one when it expires", async () => {
      seed();
      const refunds = h.connect();
      const tokenCalls = () => h.calls.filter((c) => c.provider === "opttyAuth");
      await refunds.refund({ provider: "optty", orderId, amount: 100, currency: "AUD" });
      await refunds.refund({ provider: "optty", orderId, amount: 100, currency: "AUD" });
      expect(tokenCalls()).toHaveLength(1);
      const form = Object.fromEntries(new URLSearchParams(tokenCalls()[0]?.body ?? ""));
      expect(form).toEqual({
        client_id: "optty-mock-client",
        client_secret: "optty-mock-secret",
        grant_type: "client_credentials",
        scope: "api-user",
      });
      expect(tokenCalls()[0]?.headers["content-type"]).toMatch(
        /^application\/x-www-form-urlencoded/,
      );

      h.advanceClock(25 * 60 * 60 * 1000); // Optty tokens live 86 400 s on the mock's clock
      const result = await refunds.refund({
        provider: "optty",
        orderId,
        amount: 100,
        currency: "AUD",
        idempotencyKey: "op-after-expiry",
      });
      expect(result).toMatchObject({ status: "succeeded", idempotencyKey: "op-after-expiry" });
      expect(tokenCalls()).toHaveLength(2);
      const last = h.refundCalls("optty").slice(-2);
      expect(last.map((c) => JSON.parse(c.body).refundReference)).toEqual([
        "op-after-expiry",
        "op-after-expiry",
      ]);
      expect(h.orders.get("optty", orderId)?.refunds).toHaveLength(3);
    });

    it("refreshes the token after the mock's expired_token answer", async () => {
      seed();
      const refunds = h.connect();
      h.faults.inject({ provider: "optty", kind: "expired_token" });
      const result = await refunds.refund({
        provider: "optty",
        orderId,
        amount: 300,
        currency: "AUD",
      });
      expect(result).toMatchObject({ status: "succeeded", amount: 300 });
      expect(h.calls.filter((c) => c.provider === "opttyAuth")).toHaveLength(2);
      expect(h.refundCalls("optty")).toHaveLength(2);
      expect(h.orders.get("optty", orderId)?.refunds.map((r) => r.amount)).toEqual([300]);
    });

    it("a currency with 3 decimals that needs all 3 is refused before any request (KWD)", async () => {
      seed(10_000, "KWD");
      const refunds = h.connect();
      const error = await refundError(
        refunds.refund({ provider: "optty", orderId, amount: 1_234, currency: "KWD" }),
      );
      expectError(error, {
        code: "invalid_request",
        provider: "optty",
        status: null,
        retryable: false,
      });
      expect(h.calls).toHaveLength(0);
      const ok = await refunds.refund({
        provider: "optty",
        orderId,
        amount: 1_230,
        currency: "KWD",
      });
      expect(ok).toMatchObject({ status: "succeeded", amount: 1_230, currency: "KWD" });
      expect(JSON.parse(h.refundCalls("optty")[0]?.body ?? "").refundAmount.amount).toBe(1.23);
      expect(h.orders.get("optty", orderId)?.refunds[0]?.amount).toBe(1_230);
    });
  });

  describe("levelup", () => {
    const orderId = IDS.levelup;

    it("refunds the whole order without an amount: refundId and idempotencyKey null", async () => {
      h.orders.seed({ provider: "levelup", id: orderId, amount: 1_500, tipAmount: 200 });
      const result = await h.connect().refund({ provider: "levelup", orderId });
      const order = h.orders.get("levelup", orderId);
      expect(order?.refunds).toHaveLength(1);
      expect(order?.refunds[0]).toMatchObject({ amount: 1_500, idempotencyKey: null });
      expect(result).toEqual({
        provider: "levelup",
        orderId,
        status: "succeeded",
        refundId: null,
        amount: 1_500,
        currency: "USD",
        idempotencyKey: null,
        raw: {
          order: expect.objectContaining({
            uuid: orderId,
            total_amount: 1_500,
            tip_amount: 200,
            spend_amount: 1_300,
            refunded_at: expect.any(String),
          }),
        },
      });
      const [call, ...more] = h.refundCalls("levelup");
      expect(more).toHaveLength(0);
      expect(call?.path).toBe(`/v14/orders/${orderId}/refund`);
      expect(call?.headers.authorization).toBe("token levelup-mock-token");
      expect(JSON.parse(call?.body ?? "")).toEqual({ refund: {} });
    });

    it("sends the manager confirmation; a wrong one is invalid_request and refunds nothing", async () => {
      h.orders.seed({ provider: "levelup", id: orderId, amount: 900, managerConfirmation: "1234" });
      const refunds = h.connect();
      const error = await refundError(
        refunds.refund({ provider: "levelup", orderId, managerConfirmation: "9999" }),
      );
      expectError(error, {
        code: "invalid_request",
        provider: "levelup",
        status: 422,
        retryable: false,
      });
      expect(error.raw).toEqual([
        {
          error: {
            object: "refund",
            property: "manager_confirmation",
            message: "Manager confirmation was incorrect.",
          },
        },
      ]);
      expect(h.orders.get("levelup", orderId)?.refunds).toEqual([]);
      const ok = await refunds.refund({
        provider: "levelup",
        orderId,
        managerConfirmation: "1234",
      });
      expect(ok).toMatchObject({ status: "succeeded", amount: 900 });
      expect(JSON.parse(h.refundCalls("levelup")[1]?.body ?? "")).toEqual({
        refund: { manager_confirmation: "1234" },
      });
    });

    it("already refunded: already_refunded (422 base), still one ledger entry", async () => {
      h.orders.seed({ provider: "levelup", id: orderId, amount: 1_500 });
      const refunds = h.connect();
      await refunds.refund({ provider: "levelup", orderId });
      const error = await refundError(refunds.refund({ provider: "levelup", orderId }));
      expectError(error, {
        code: "already_refunded",
        provider: "levelup",
        status: 422,
        retryable: false,
      });
      expect(error.raw).toEqual([
        { error: { object: "order", property: "base", message: LEVELUP_ALREADY_REFUNDED } },
      ]);
      expect(h.orders.get("levelup", orderId)?.refunds).toHaveLength(1);
      expect(h.refundCalls("levelup")).toHaveLength(2);
    });

    it("an amount (partial refund) is unsupported, before any request", async () => {
      h.orders.seed({ provider: "levelup", id: orderId, amount: 1_500 });
      const error = await refundError(
        h.connect().refund({ provider: "levelup", orderId, amount: 500, currency: "USD" } as never),
      );
      expectError(error, {
        code: "unsupported",
        provider: "levelup",
        status: null,
        retryable: false,
      });
      expect(h.calls).toHaveLength(0);
      expect(h.orders.get("levelup", orderId)?.refunds).toEqual([]);
    });

    it("unknown order: not_found with LevelUp's empty body", async () => {
      const error = await refundError(
        h.connect().refund({ provider: "levelup", orderId: MISSING_IDS.levelup }),
      );
      expectError(error, { code: "not_found", provider: "levelup", status: 404, retryable: false });
      expect(error.raw).toBe("");
    });

    it("a token LevelUp refuses: authentication_failed", async () => {
      h.orders.seed({ provider: "levelup", id: orderId, amount: 1_500 });
      const refunds = h.connect({ levelup: { ...h.config("levelup"), token: "wrong-token" } });
      const error = await refundError(refunds.refund({ provider: "levelup", orderId }));
      expectError(error, {
        code: "authentication_failed",
        provider: "levelup",
        status: 401,
        retryable: false,
      });
      expect(error.raw).toEqual([
        { error: { object: "user", property: "base", message: "Authentication failed." } },
      ]);
      expect(h.refundCalls("levelup")).toHaveLength(1);
      expect(h.orders.get("levelup", orderId)?.refunds).toEqual([]);
    });
  });

  describe("moyasar (MPG)", () => {
    const orderId = IDS.moyasar;
    const seed = (amount = 262_346, processingMs?: number) =>
      h.orders.seed({
        provider: "moyasar",
        id: orderId,
        amount,
        currency: "SAR",
        ...(processingMs === undefined ? {} : { processingMs }),
      });

    it("refunds part of an order; transaction_id is the handle, the refundId and the ledger id", async () => {
      seed();
      const result = await h.connect().refund({
        provider: "moyasar",
        orderId,
        amount: 10_000,
        currency: "SAR",
        transactionId: "mpg-tx-1",
      });
      const order = h.orders.get("moyasar", orderId);
      expect(order?.refunds).toHaveLength(1);
      expect(order?.refunds[0]).toMatchObject({
        id: "mpg-tx-1",
        amount: 10_000,
        idempotencyKey: "mpg-tx-1",
      });
      expect(result).toEqual({
        provider: "moyasar",
        orderId,
        status: "succeeded",
        refundId: "mpg-tx-1",
        amount: 10_000,
        currency: "SAR",
        idempotencyKey: "mpg-tx-1",
        raw: expect.objectContaining({
          id: orderId,
          currency: "SAR",
          refunded_amount: 10_000,
          transactions: expect.arrayContaining([
            expect.objectContaining({ id: "mpg-tx-1", type: "refund", amount: 10_000 }),
          ]),
        }),
      });
      const [call, ...more] = h.refundCalls("moyasar");
      expect(more).toHaveLength(0);
      expect(call?.path).toBe(`/v1/orders/${orderId}/refund`);
      expect(call?.headers.authorization).toBe("Bearer sk_test_mock");
      expect(call?.headers["x-refundkit-idempotent"]).toBeUndefined();
      expect(JSON.parse(call?.body ?? "")).toEqual({ amount: 10_000, transaction_id: "mpg-tx-1" });
    });

    it("uses the idempotencyKey, or a generated UUID, as transaction_id", async () => {
      seed();
      const refunds = h.connect();
      const keyed = await refunds.refund({
        provider: "moyasar",
        orderId,
        amount: 100,
        currency: "SAR",
        idempotencyKey: "mpg-key-1",
      });
      const generated = await refunds.refund({
        provider: "moyasar",
        orderId,
        amount: 200,
        currency: "SAR",
      });
      expect(keyed).toMatchObject({ refundId: "mpg-key-1", idempotencyKey: "mpg-key-1" });
      expect(generated.idempotencyKey).toMatch(UUID);
      expect(generated.refundId).toBe(generated.idempotencyKey);
      expect(h.orders.get("moyasar", orderId)?.refunds.map((r) => [r.id, r.amount])).toEqual([
        ["mpg-key-1", 100],
        [generated.idempotencyKey, 200],
      ]);
    });

    it("transactionId and a different idempotencyKey: invalid_request before any request", async () => {
      seed();
      const error = await refundError(
        h.connect().refund({
          provider: "moyasar",
          orderId,
          amount: 100,
          currency: "SAR",
          transactionId: "a-1",
          idempotencyKey: "b-2",
        }),
      );
      expectError(error, {
        code: "invalid_request",
        provider: "moyasar",
        status: null,
        retryable: false,
      });
      expect(h.calls).toHaveLength(0);
    });

    it("the same transaction_id after completion is answered with the first refund", async () => {
      seed();
      const refunds = h.connect();
      const request = {
        provider: "moyasar",
        orderId,
        amount: 500,
        currency: "SAR",
        transactionId: "mpg-replay",
      } as const;
      const first = await refunds.refund(request);
      const second = await refunds.refund(request);
      expect(second).toEqual(first);
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
    });

    it("a duplicate while the first is in flight waits for the first answer: one ledger entry", async () => {
      seed(262_346, 400);
      const refunds = h.connect();
      const request = {
        provider: "moyasar",
        orderId,
        amount: 700,
        currency: "SAR",
        transactionId: "mpg-inflight-wait",
      } as const;
      const first = refunds.refund(request);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // MPG answers the duplicate 400 "Initial request is still processing."; the client asks
      // again with the same transaction_id until it gets the first refund's answer.
      const second = await refunds.refund(request);
      expect(second).toMatchObject({ status: "succeeded", refundId: "mpg-inflight-wait" });
      await expect(first).resolves.toMatchObject({ refundId: "mpg-inflight-wait" });
      // The first request, the duplicate answered "still processing", and at least one retry.
      expect(h.refundCalls("moyasar").length).toBeGreaterThanOrEqual(3);
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
    });

    it("a duplicate in flight with no retries left: in_progress (retryable), one ledger entry", async () => {
      seed(262_346, 400);
      const refunds = h.connect(undefined, { maxRetries: 0 });
      const request = {
        provider: "moyasar",
        orderId,
        amount: 700,
        currency: "SAR",
        transactionId: "mpg-inflight",
      } as const;
      const first = refunds.refund(request);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await refundError(refunds.refund(request));
      expectError(error, {
        code: "in_progress",
        provider: "moyasar",
        status: 400,
        retryable: true,
      });
      expect(error.raw).toEqual({ message: "Initial request is still processing." });
      await expect(first).resolves.toMatchObject({ status: "succeeded", refundId: "mpg-inflight" });
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
      // Retrying later with the same handle is safe: the first answer again.
      await expect(refunds.refund(request)).resolves.toMatchObject({ refundId: "mpg-inflight" });
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
    });

    it("over-refund: amount_exceeds_refundable with MPG's validation body", async () => {
      seed(1_000);
      const error = await refundError(
        h.connect().refund({ provider: "moyasar", orderId, amount: 1_001, currency: "SAR" }),
      );
      expectError(error, {
        code: "amount_exceeds_refundable",
        provider: "moyasar",
        status: 422,
        retryable: false,
      });
      expect(error.raw).toEqual({
        message: "Data validation failed",
        errors: {
          amount: ["The amount must be less than or equal to the refundable amount (1000)."],
        },
      });
      expect(h.orders.get("moyasar", orderId)?.refunds).toEqual([]);
    });

    it("already fully refunded: amount_exceeds_refundable (refundable amount 0)", async () => {
      seed(1_000);
      const refunds = h.connect();
      await refunds.refund({ provider: "moyasar", orderId, amount: 1_000, currency: "SAR" });
      const error = await refundError(
        refunds.refund({ provider: "moyasar", orderId, amount: 1, currency: "SAR" }),
      );
      expectError(error, {
        code: "amount_exceeds_refundable",
        provider: "moyasar",
        status: 422,
        retryable: false,
      });
      expect(h.orders.get("moyasar", orderId)?.refunds).toHaveLength(1);
    });

    it("unknown order: not_found", async () => {
      const error = await refundError(
        h.connect().refund({
          provider: "moyasar",
          orderId: MISSING_IDS.moyasar,
          amount: 100,
          currency: "SAR",
        }),
      );
      expectError(error, { code: "not_found", provider: "moyasar", status: 404, retryable: false });
      expect(error.raw).toEqual({ message: "Not Found" });
    });

    it("a key MPG does not accept (401): authentication_failed", async () => {
      seed();
      const refunds = h.connect({ moyasar: { ...h.config("moyasar"), apiKey: "sk_test_wrong" } });
      const error = await refundError(
        refunds.refund({ provider: "moyasar", orderId, amount: 100, currency: "SAR" }),
      );
      expectError(error, {
        code: "authentication_failed",
        provider: "moyasar",
        status: 401,
        retryable: false,
      });
      expect(error.raw).toEqual({ message: "Invalid authorization credentials" });
      expect(h.refundCalls("moyasar")).toHaveLength(1);
      expect(h.orders.get("moyasar", orderId)?.refunds).toEqual([]);
    });

    it("an expired key (401): authentication_failed, nothing refunded, not retried", async () => {
      seed();
      h.faults.inject({ provider: "moyasar", kind: "expired_token" });
      const error = await refundError(
        h.connect().refund({ provider: "moyasar", orderId, amount: 100, currency: "SAR" }),
      );
      expectError(error, {
        code: "authentication_failed",
        provider: "moyasar",
        status: 401,
        retryable: false,
      });
      expect(error.raw).toEqual({ message: "Missing authentication information" });
      expect(h.refundCalls("moyasar")).toHaveLength(1);
      expect(h.orders.get("moyasar", orderId)?.refunds).toEqual([]);
    });
  });

  describe("briqpay", () => {
    const orderId = IDS.briqpay;

    it("a new refund is pending, then settles approved in the ledger (orders.settle)", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 3_000, currency: "SEK" });
      const result = await h.connect().refund({
        provider: "briqpay",
        orderId,
        amount: 1_000,
        currency: "SEK",
        reason: "Returned item",
      });
      const order = h.orders.get("briqpay", orderId);
      expect(order?.refunds).toHaveLength(1);
      const entry = order?.refunds[0];
      expect(entry).toMatchObject({ amount: 1_000, status: "pending", idempotencyKey: null });
      expect(order?.refundedAmount).toBe(1_000); // a pending refund holds its amount
      const line = {
        productType: "adjustment",
        name: "Returned item",
        quantity: 1,
        quantityUnit: "pc",
        unitPrice: 1_000,
        taxRate: 0,
      };
      expect(result).toEqual({
        provider: "briqpay",
        orderId,
        status: "pending",
        refundId: entry?.id,
        amount: 1_000,
        currency: "SEK",
        idempotencyKey: null,
        raw: expect.objectContaining({
          refundId: entry?.id,
          status: "pending",
          amountIncVat: 1_000,
          amountExVat: 1_000,
          currency: "SEK",
          sessionId: orderId,
          cart: [line],
        }),
      });
      expect(result.refundId).toMatch(UUID);
      const [call, ...more] = h.refundCalls("briqpay");
      expect(more).toHaveLength(0);
      expect(call?.url).toBe(`${h.baseUrls.briqpay}/session/${orderId}/order/refund`);
      expect(new URL(call?.url ?? "").pathname).toMatch(/\/v3\/session\/[^/]+\/order\/refund$/);
      expect(call?.headers.authorization).toBe(
        `Basic ${Buffer.from("briqpay-mock-merchant:briqpay-mock-secret").toString("base64")}`,
      );
      expect(JSON.parse(call?.body ?? "")).toEqual({
        data: {
          order: { amountIncVat: 1_000, amountExVat: 1_000, currency: "SEK", cart: [line] },
        },
      });

      expect(h.orders.settle("briqpay", orderId, result.refundId ?? "")).toMatchObject({
        status: "approved",
      });
      expect(h.orders.get("briqpay", orderId)?.refunds[0]?.status).toBe("approved");
    });

    it("settles later on the mock's clock (settleAfterMs)", async () => {
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        settleAfterMs: 60_000,
        settleAs: "rejected",
      });
      const result = await h
        .connect()
        .refund({ provider: "briqpay", orderId, amount: 500, currency: "SEK" });
      expect(result.status).toBe("pending");
      expect(h.orders.get("briqpay", orderId)?.refunds[0]?.status).toBe("pending");
      h.advanceClock(60_000);
      const order = h.orders.get("briqpay", orderId);
      expect(order?.refunds[0]?.status).toBe("rejected");
      expect(order?.refundableAmount).toBe(3_000);
    });

    it("an order that settles at once: succeeded; rejected in a 201 is RefundError declined", async () => {
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        settleAfterMs: 0,
      });
      const refunds = h.connect();
      const approved = await refunds.refund({
        provider: "briqpay",
        orderId,
        amount: 500,
        currency: "SEK",
      });
      expect(approved).toMatchObject({ status: "succeeded", amount: 500, idempotencyKey: null });
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        settleAfterMs: 0,
        settleAs: "rejected",
      });
      const rejected = await refundError(
        refunds.refund({ provider: "briqpay", orderId, amount: 500, currency: "SEK" }),
      );
      expect(rejected).toMatchObject({ code: "declined", status: 201, retryable: false });
      expect(rejected.raw).toMatchObject({ status: "rejected" });
      expect(h.orders.get("briqpay", orderId)?.refunds[0]?.status).toBe("rejected");
    });

    it("refunds cart lines with totals computed in integers (25% VAT, a discount)", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 100_000, currency: "SEK" });
      const cart = [
        {
          productType: "physical" as const,
          name: "Shoe",
          reference: "sku-1",
          quantity: 2,
          quantityUnit: "pc",
          unitPrice: 10_000,
          taxRate: 2_500,
        },
        {
          productType: "physical" as const,
          name: "Sock",
          quantity: 3,
          quantityUnit: "pc",
          unitPrice: 333,
          taxRate: 1_200,
          discountPercentage: 1_000,
        },
      ];
      // Shoe: 20000 ex, 5000 VAT. Sock: 999 - 100 (10% of 999 = 99.9 -> 100) = 899 ex, VAT 107.88 -> 108.
      const result = await h
        .connect()
        .refund({ provider: "briqpay", orderId, currency: "SEK", cart });
      expect(result).toMatchObject({ status: "pending", amount: 26_007, currency: "SEK" });
      const body = JSON.parse(h.refundCalls("briqpay")[0]?.body ?? "");
      expect(body.data.order).toEqual({
        amountIncVat: 26_007,
        amountExVat: 20_899,
        currency: "SEK",
        cart,
      });
      const entry = h.orders.get("briqpay", orderId)?.refunds[0];
      expect(entry).toMatchObject({ amount: 26_007, cart });
    });

    it("an amount that does not equal the cart's total: invalid_request before any request", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 100_000, currency: "SEK" });
      const error = await refundError(
        h.connect().refund({
          provider: "briqpay",
          orderId,
          amount: 999,
          currency: "SEK",
          cart: [
            {
              productType: "physical",
              name: "Shoe",
              quantity: 1,
              quantityUnit: "pc",
              unitPrice: 1_000,
              taxRate: 0,
            },
          ],
        }),
      );
      expectError(error, {
        code: "invalid_request",
        provider: "briqpay",
        status: null,
        retryable: false,
      });
      expect(h.calls).toHaveLength(0);
    });

    it("partial captures: the captureId is sent and limits the refund", async () => {
      const captureA = "11111111-1111-4111-8111-111111111111";
      const captureB = "22222222-2222-4222-8222-222222222222";
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        captures: [
          { captureId: captureA, amount: 1_000 },
          { captureId: captureB, amount: 2_000 },
        ],
      });
      const refunds = h.connect();
      const ok = await refunds.refund({
        provider: "briqpay",
        orderId,
        amount: 1_000,
        currency: "SEK",
        captureId: captureA,
      });
      expect(ok).toMatchObject({ amount: 1_000, raw: { parentCaptureId: captureA } });
      expect(JSON.parse(h.refundCalls("briqpay")[0]?.body ?? "").captureId).toBe(captureA);
      const over = await refundError(
        refunds.refund({
          provider: "briqpay",
          orderId,
          amount: 1,
          currency: "SEK",
          captureId: captureA,
        }),
      );
      expectError(over, {
        code: "amount_exceeds_refundable",
        provider: "briqpay",
        status: 400,
        retryable: false,
      });
      expect(h.orders.get("briqpay", orderId)?.refunds.map((r) => r.captureId)).toEqual([captureA]);
    });

    it("over-refund: amount_exceeds_refundable (REFUND_NOT_ALLOWED), nothing refunded", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 3_000, currency: "SEK" });
      const error = await refundError(
        h.connect().refund({ provider: "briqpay", orderId, amount: 3_001, currency: "SEK" }),
      );
      expectError(error, {
        code: "amount_exceeds_refundable",
        provider: "briqpay",
        status: 400,
        retryable: false,
      });
      expect(error.raw).toEqual({
        error: {
          code: "REFUND_NOT_ALLOWED",
          message: "refund amount exceeds the remaining captured amount",
        },
      });
      expect(h.orders.get("briqpay", orderId)?.refunds).toEqual([]);
    });

    it("already fully refunded (even while pending): amount_exceeds_refundable", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 3_000, currency: "SEK" });
      const refunds = h.connect();
      await refunds.refund({ provider: "briqpay", orderId, amount: 3_000, currency: "SEK" });
      const error = await refundError(
        refunds.refund({ provider: "briqpay", orderId, amount: 1, currency: "SEK" }),
      );
      expect(error.code).toBe("amount_exceeds_refundable");
      expect(h.orders.get("briqpay", orderId)?.refunds).toHaveLength(1);
    });

    it("not captured: not_refundable (ORDER_NOT_CAPTURED)", async () => {
      h.orders.seed({
        provider: "briqpay",
        id: orderId,
        amount: 3_000,
        currency: "SEK",
        captured: false,
      });
      const error = await refundError(
        h.connect().refund({ provider: "briqpay", orderId, amount: 100, currency: "SEK" }),
      );
      expectError(error, {
        code: "not_refundable",
        provider: "briqpay",
        status: 400,
        retryable: false,
      });
      expect(error.raw).toMatchObject({ error: { code: "ORDER_NOT_CAPTURED" } });
    });

    it("unknown session: Briqpay documents no 404, so invalid_request (INVALID_DATA)", async () => {
      const error = await refundError(
        h.connect().refund({
          provider: "briqpay",
          orderId: MISSING_IDS.briqpay,
          amount: 100,
          currency: "SEK",
        }),
      );
      expectError(error, {
        code: "invalid_request",
        provider: "briqpay",
        status: 400,
        retryable: false,
      });
      expect(error.raw).toEqual({
        error: { code: "INVALID_DATA", message: `No session found with id ${MISSING_IDS.briqpay}` },
      });
    });

    it("wrong secret (403 INVALID_CREDENTIALS) and an expired one: authentication_failed", async () => {
      h.orders.seed({ provider: "briqpay", id: orderId, amount: 3_000, currency: "SEK" });
      const wrong = h.connect({ briqpay: { ...h.config("briqpay"), secret: "nope" } });
      const error = await refundError(
        wrong.refund({ provider: "briqpay", orderId, amount: 100, currency: "SEK" }),
      );
      expectError(error, {
        code: "authentication_failed",
        provider: "briqpay",
        status: 403,
        retryable: false,
      });
      expect(error.raw).toEqual({
        error: { code: "INVALID_CREDENTIALS", message: "Invalid credentials" },
      });
      h.faults.inject({ provider: "briqpay", kind: "expired_token" });
      const expired = await refundError(
        h.connect().refund({ provider: "briqpay", orderId, amount: 100, currency: "SEK" }),
      );
      expectError(expired, {
        code: "authentication_failed",
        provider: "briqpay",
        status: 403,
        retryable: false,
      });
      expect(expired.raw).toMatchObject({ error: { code: "AUTH_SECRET_EXPIRED" } });
      expect(h.refundCalls("briqpay")).toHaveLength(2);
      expect(h.orders.get("briqpay", orderId)?.refunds).toEqual([]);
    });
  });

  describe("bad input is refused before any request", () => {
    const cases: [string, RefundRequest, "invalid_request" | "unsupported"][] = [
      [
        "a path-changing order id",
        { provider: "sezzle", orderId: "../../admin", amount: 100, currency: "USD" },
        "invalid_request",
      ],
      [
        "an order id with a slash",
        { provider: "optty", orderId: "a/b", amount: 100, currency: "AUD" },
        "invalid_request",
      ],
      [
        "an encoded dot segment",
        { provider: "moyasar", orderId: "%2e%2e", amount: 100, currency: "SAR" },
        "invalid_request",
      ],
      ["an order id with a query", { provider: "levelup", orderId: "abc?x=1" }, "invalid_request"],
      [
        "an empty order id",
        { provider: "sezzle", orderId: "", amount: 100, currency: "USD" },
        "invalid_request",
      ],
      [
        "a Briqpay session id that is not a UUID",
        { provider: "briqpay", orderId: "session-1", amount: 100, currency: "SEK" },
        "invalid_request",
      ],
      [
        "a fractional amount",
        { provider: "sezzle", orderId: IDS.sezzle, amount: 10.5, currency: "USD" },
        "invalid_request",
      ],
      [
        "a zero amount",
        { provider: "optty", orderId: IDS.optty, amount: 0, currency: "AUD" },
        "invalid_request",
      ],
      [
        "a negative amount",
        { provider: "moyasar", orderId: IDS.moyasar, amount: -100, currency: "SAR" },
        "invalid_request",
      ],
      [
        "NaN",
        { provider: "briqpay", orderId: IDS.briqpay, amount: Number.NaN, currency: "SEK" },
        "invalid_request",
      ],
      [
        "an amount as a string",
        { provider: "sezzle", orderId: IDS.sezzle, amount: "100" as never, currency: "USD" },
        "invalid_request",
      ],
      [
        "an unsafe integer",
        { provider: "optty", orderId: IDS.optty, amount: 2 ** 53, currency: "AUD" },
        "invalid_request",
      ],
      [
        "an amount without currency",
        { provider: "moyasar", orderId: IDS.moyasar, amount: 100 },
        "invalid_request",
      ],
      [
        "a lower-case currency",
        { provider: "sezzle", orderId: IDS.sezzle, amount: 100, currency: "usd" },
        "invalid_request",
      ],
      [
        "an unknown currency",
        { provider: "briqpay", orderId: IDS.briqpay, amount: 100, currency: "XYZ" },
        "invalid_request",
      ],
      [
        "an idempotency key with a space",
        {
          provider: "sezzle",
          orderId: IDS.sezzle,
          amount: 100,
          currency: "USD",
          idempotencyKey: "a b",
        },
        "invalid_request",
      ],
      [
        "an idempotency key with a line break",
        {
          provider: "optty",
          orderId: IDS.optty,
          amount: 100,
          currency: "AUD",
          idempotencyKey: "a\r\nX-Evil: 1",
        },
        "invalid_request",
      ],
      [
        "a reason with a control character",
        { provider: "optty", orderId: IDS.optty, amount: 100, currency: "AUD", reason: "a\u0000b" },
        "invalid_request",
      ],
      [
        "no amount where the provider needs one (Optty)",
        { provider: "optty", orderId: IDS.optty },
        "unsupported",
      ],
      [
        "no amount where the provider needs one (MPG)",
        { provider: "moyasar", orderId: IDS.moyasar },
        "unsupported",
      ],
      [
        "no amount and no cart (Briqpay)",
        { provider: "briqpay", orderId: IDS.briqpay, currency: "SEK" },
        "unsupported",
      ],
      [
        "an amount for LevelUp",
        { provider: "levelup", orderId: IDS.levelup, amount: 1, currency: "USD" } as never,
        "unsupported",
      ],
      [
        "an empty Briqpay cart",
        { provider: "briqpay", orderId: IDS.briqpay, currency: "SEK", cart: [] },
        "invalid_request",
      ],
    ];

    it.each(cases)("%s", async (_name, request, code) => {
      h.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 10_000, currency: "USD" });
      const error = await refundError(h.connect().refund(request));
      expectError(error, { code, provider: request.provider, status: null, retryable: false });
      expect(h.calls).toEqual([]);
      expect(h.orders.list().flatMap((order) => order.refunds)).toEqual([]);
    });
  });
});
