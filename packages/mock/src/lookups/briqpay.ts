/** Briqpay's session read, `GET /v3/session/{sessionId}` (https://developer.briqpay.com/docs/3.0.0/api/read-session). */
import { briqpayCartTotals } from "@refundkit/briqpay";
import type { RequestHandler } from "msw";
import type { MockContext } from "../context.js";
import type { OrderState } from "../ledger.js";
import { basicCredentials } from "../providers/briqpay.js";
import { createSpecHttp } from "../spec-http.js";
import { type BriqpayPaths, routes } from "../specs.js";
import { iso, orderOf } from "./order.js";

/** Briqpay's session: its captures and refunds, each refund with its status. */
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

/** The msw handler of Briqpay's session read, on the same ledger as its refunds. */
export function briqpayLookupHandler(context: MockContext, baseUrl: string): RequestHandler {
  const http = createSpecHttp<BriqpayPaths>({ baseUrl });
  return http.get(routes.briqpay.lookup.path, ({ request, params, response }) => {
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
  });
}
