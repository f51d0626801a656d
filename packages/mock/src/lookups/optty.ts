/** Optty's Transaction Details, `POST /orders/{merchantReference}/details` (https://docs.optty.com/api-references/transaction-details). */
import { minorToMajor } from "@refundkit/core";
import type { RequestHandler } from "msw";
import type { MockContext } from "../context.js";
import type { OrderState, RefundState } from "../ledger.js";
import { createSpecHttp } from "../spec-http.js";
import { type OpttyPaths, routes } from "../specs.js";
import { hasValidToken, iso, orderOf } from "./order.js";

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

/** The msw handler of Optty's Transaction Details, on the same ledger as its refunds. */
export function opttyLookupHandler(context: MockContext, baseUrl: string): RequestHandler {
  const http = createSpecHttp<OpttyPaths>({ baseUrl });
  return http.post(routes.optty.lookup.path, ({ request, params, response }) => {
    if (!hasValidToken(context, "optty", request)) {
      return response(401).json({
        statusCode: 401,
        message: "You are not authorized to view this transaction...!",
        error: "Unauthorized",
      });
    }
    const order = orderOf(context, "optty", params.merchantReference);
    if (order === undefined) return response(404).json({ statusCode: 404, message: "Not Found" });
    return response(200).json(opttyDetails(order));
  });
}
