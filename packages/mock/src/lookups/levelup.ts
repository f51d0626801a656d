/**
 * LevelUp's merchant order lookup, `GET /v14/merchants/{merchantId}/orders/{uuid}`
 * (http://developer.thelevelup.com/api-reference/v14/orders-merchant-details/).
 */
import type { RequestHandler } from "msw";
import { jsonAnswer } from "../answers.js";
import type { MockContext } from "../context.js";
import type { OrderState } from "../ledger.js";
import { createSpecHttp } from "../spec-http.js";
import { type LevelupPaths, routes } from "../specs.js";
import { iso, orderOf } from "./order.js";

/** LevelUp's order: `refunded_at` set once the (full) refund was made. */
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

/** The msw handler of LevelUp's merchant order lookup, on the same ledger as its refunds. */
export function levelupLookupHandler(context: MockContext, baseUrl: string): RequestHandler {
  const http = createSpecHttp<LevelupPaths>({ baseUrl });
  return http.get(routes.levelup.lookup.path, ({ request, params, response }) => {
    if (request.headers.get("authorization") !== `token ${context.credentials.levelup.token}`) {
      // No 401 is documented; LevelUp's error list shape, as for the refund.
      return response.untyped(
        jsonAnswer(
          [{ error: { object: "user", property: "base", message: "Authentication failed." } }],
          401,
        ),
      );
    }
    const checked = context.validators.levelup.validateParameters(
      routes.levelup.lookup.operationId,
      {
        path: { merchantId: String(params.merchantId), uuid: params.uuid },
        headers: request.headers,
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
  });
}
