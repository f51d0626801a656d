/** Sezzle's order lookup, `GET /v2/order/{order_uuid}` (https://docs.sezzle.com/docs/api/core/orders/getv2order). */
import type { RequestHandler } from "msw";
import type { MockContext } from "../context.js";
import type { OrderState } from "../ledger.js";
import { createSpecHttp } from "../spec-http.js";
import { routes, type SezzlePaths } from "../specs.js";
import { hasValidToken, orderOf } from "./order.js";

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

/** The msw handler of Sezzle's order lookup, on the same ledger as its refunds. */
export function sezzleLookupHandler(context: MockContext, baseUrl: string): RequestHandler {
  const http = createSpecHttp<SezzlePaths>({ baseUrl });
  return http.get(routes.sezzle.lookup.path, ({ request, params, response }) => {
    if (!hasValidToken(context, "sezzle", request)) {
      return response(401).json([{ code: "unauthorized", message: "authorization not accepted" }]);
    }
    const order = orderOf(context, "sezzle", params.order_uuid);
    if (order === undefined) {
      return response(404).json([{ code: "record_not_found", message: "not found" }]);
    }
    return response(200).json(sezzleOrder(order));
  });
}
