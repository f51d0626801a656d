/**
 * The providers' documented lookups, answered from the same ledger as the refunds: a refund the
 * mock took is listed at once, a pending one with its status until it settles.
 */
import { briqpayCartTotals } from "@refundkit/briqpay";
import { minorToMajor } from "@refundkit/core";
import type { RequestHandler } from "msw";
import { HttpResponse } from "msw";
import { createOpenApiHttp } from "openapi-msw";
import { bearerToken, headersOf } from "./bodies.js";
import type { MockContext } from "./context.js";
import type { OrderState, RefundState } from "./ledger.js";
import { basicCredentials } from "./providers/briqpay.js";
import {
  type BriqpayPaths,
  type LevelupPaths,
  type OpttyPaths,
  routes,
  type SezzlePaths,
} from "./specs.js";
import type { MockBaseUrls, MockProvider } from "./types.js";

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The order, its due refunds settled first (so a lookup sees what a refund call would). */
function orderOf(context: MockContext, provider: MockProvider, id: string): OrderState | undefined {
  const order = context.ledger.find(provider, id);
  if (order !== undefined) context.ledger.tick(order);
  return order;
}

/** Sezzle lists only refunds that were made: its refund call is synchronous. */
function sezzleOrder(order: OrderState) {
  const price = (amount: number) => ({ amount_in_cents: amount, currency: order.currency });
  return {
    uuid: order.id,
    intent: "CAPTURE",
    order_amount: price(order.amount),
    authorization: {
      authorization_amount: price(order.amount),
      approved: true,
      releases: [],
      captures: order.captured
        ? [{ uuid: `capture-${order.id}`, amount: price(order.amount) }]
        : [],
      refunds: order.refunds
        .filter((refund) => refund.status === "approved")
        .map((refund) => ({ uuid: refund.id, amount: price(refund.amount) })),
    },
  };
}

/** Optty's words: SUCCESSFUL, PENDING, and DECLINED for a refund the APM refused. */
function opttyStatus(refund: RefundState): string {
  return refund.status === "approved"
    ? "SUCCESSFUL"
    : refund.status === "pending"
      ? "PENDING"
      : "DECLINED";
}

function opttyDetails(order: OrderState) {
  const seed = order.seed.provider === "optty" ? order.seed : undefined;
  return {
    merchantReference: order.id,
    status: order.captured ? "SUCCESSFUL" : "PENDING",
    amount: minorToMajor(order.amount, order.currency),
    currency: order.currency,
    provider: seed?.bnplProvider ?? "KLARNA_AU",
    updatedAt: iso(Math.max(order.createdAt, ...order.refunds.map((refund) => refund.createdAt))),
    failureReason: null,
    bnplOrderId: `bnpl-${order.id}`,
    transactionReference: order.id,
    transactionHistory: [],
    // refundId: the id the refund call answered as bnplRefundId (the docs leave the relation open).
    refunds: order.refunds.map((refund) => ({
      refundId: refund.id,
      amount: minorToMajor(refund.amount, refund.currency),
      currency: refund.currency,
      status: opttyStatus(refund),
      createdAt: iso(refund.createdAt),
      refundFailureReason: refund.status === "rejected" ? "Declined by the payment provider" : "",
    })),
    orderCaptures: [],
  };
}

function levelupOrder(order: OrderState) {
  const tip = order.seed.provider === "levelup" ? (order.seed.tipAmount ?? 0) : 0;
  const refunded = order.refunds.find((refund) => refund.status === "approved");
  return {
    order: {
      uuid: order.id,
      created_at: iso(order.createdAt),
      transacted_at: iso(order.createdAt),
      refunded_at: refunded === undefined ? null : iso(refunded.createdAt),
      location_id: 1,
      loyalty_id: 1,
      user_display_name: "Mock U",
      earn_amount: 0,
      merchant_funded_credit_amount: 0,
      spend_amount: order.amount - tip,
      tip_amount: tip,
      total_amount: order.amount,
    },
  };
}

function briqpaySession(order: OrderState) {
  return {
    sessionId: order.id,
    status: "completed",
    data: {
      order: { currency: order.currency, amountIncVat: order.amount },
      captures: order.captured
        ? order.captures.map((capture) => ({
            captureId: capture.captureId,
            status: "approved",
            amountIncVat: capture.amount,
            currency: order.currency,
          }))
        : [],
      refunds: order.refunds.map((refund) => ({
        refundId: refund.id,
        status: refund.status,
        amountIncVat: refund.amount,
        ...(refund.cart === null
          ? {}
          : { amountExVat: briqpayCartTotals(refund.cart).amountExVat }),
        currency: refund.currency,
        createdAt: iso(refund.createdAt),
        ...(refund.captureId === null ? {} : { parentCaptureId: refund.captureId }),
      })),
    },
  };
}

/** msw handlers for every documented lookup (MPG documents none). */
export function lookupHandlers(context: MockContext, baseUrls: MockBaseUrls): RequestHandler[] {
  const sezzle = createOpenApiHttp<SezzlePaths>({ baseUrl: baseUrls.sezzle });
  const optty = createOpenApiHttp<OpttyPaths>({ baseUrl: baseUrls.optty });
  const levelup = createOpenApiHttp<LevelupPaths>({ baseUrl: baseUrls.levelup });
  const briqpay = createOpenApiHttp<BriqpayPaths>({ baseUrl: baseUrls.briqpay });

  return [
    sezzle.get(routes.sezzle.lookup.path, ({ request, params, response }) => {
      const token = bearerToken(request);
      if (token === undefined || context.tokens.check("sezzle", token) !== "valid") {
        return response(401).json([
          { code: "unauthorized", message: "authorization not accepted" },
        ]);
      }
      const order = orderOf(context, "sezzle", params.order_uuid);
      if (order === undefined) {
        return response(404).json([{ code: "record_not_found", message: "not found" }]);
      }
      return response(200).json(sezzleOrder(order));
    }),

    optty.post(routes.optty.lookup.path, ({ request, params, response }) => {
      const token = bearerToken(request);
      if (token === undefined || context.tokens.check("optty", token) !== "valid") {
        return response(401).json({
          statusCode: 401,
          message: "You are not authorized to view this transaction...!",
          error: "Unauthorized",
        });
      }
      const order = orderOf(context, "optty", params.merchantReference);
      if (order === undefined) return response(404).json({ statusCode: 404, message: "Not Found" });
      return response(200).json(opttyDetails(order));
    }),

    levelup.get(routes.levelup.lookup.path, ({ request, params, response }) => {
      if (request.headers.get("authorization") !== `token ${context.credentials.levelup.token}`) {
        // No 401 is documented; LevelUp's error list shape, as for the refund.
        return response.untyped(
          HttpResponse.json(
            [{ error: { object: "user", property: "base", message: "Authentication failed." } }],
            { status: 401 },
          ),
        );
      }
      const checked = context.validators.levelup.validateParameters(
        routes.levelup.lookup.operationId,
        {
          path: { merchantId: String(params.merchantId), uuid: params.uuid },
          headers: headersOf(request),
        },
      );
      if (!checked.valid) return response(404).empty();
      const order = orderOf(context, "levelup", params.uuid);
      const owner = order?.seed.provider === "levelup" ? order.seed.merchantId : undefined;
      // An order seeded without a merchant is found under any merchant id.
      if (
        order === undefined ||
        (owner !== undefined && String(owner) !== String(params.merchantId))
      ) {
        return response(404).empty();
      }
      return response(200).json(levelupOrder(order));
    }),

    briqpay.get(routes.briqpay.lookup.path, ({ request, params, response }) => {
      const credentials = context.credentials.briqpay;
      const given = basicCredentials(request.headers.get("authorization"));
      if (given?.username !== credentials.username || given.secret !== credentials.secret) {
        return response(403).json({
          error: { code: "INVALID_CREDENTIALS", message: "Invalid credentials" },
        });
      }
      const order = orderOf(context, "briqpay", params.sessionId);
      if (order === undefined) {
        return response(400).json({
          error: { code: "INVALID_DATA", message: `No session found with id ${params.sessionId}` },
        });
      }
      if (new URL(request.url).searchParams.get("fields") === "none") return response(204).empty();
      return response(200).json(briqpaySession(order));
    }),
  ];
}
