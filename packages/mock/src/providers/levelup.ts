import type { RequestHandler } from "msw";
import { jsonAnswer } from "../answers.js";
import { checkRequest, htmlError } from "../bodies.js";
import type { MockContext } from "../context.js";
import { withFaults } from "../faults.js";
import { createSpecHttp } from "../spec-http.js";
import { type JsonRequestBody, type LevelupPaths, routes } from "../specs.js";

/** The refund request body, from the generated `paths`. */
type LevelupRefundBody = JsonRequestBody<LevelupPaths[typeof routes.levelup.refund.path]["post"]>;

import { isoMillis, sleep } from "../time.js";

const REFUND = "RefundOrder";

const ALREADY_REFUNDED =
  "The refund was unsuccessful. Perhaps this order has already been refunded or was unsuccessful.";

export function levelupHandlers(context: MockContext, baseUrl: string): RequestHandler[] {
  const http = createSpecHttp<LevelupPaths>({ baseUrl });
  const validator = context.validators.levelup;
  const credentials = context.credentials.levelup;

  const refundHandler = http.post(
    routes.levelup.refund.path,
    async ({ request, params, response }) => {
      // The spec documents no 401; LevelUp answers one for a bad token. Its shape follows the
      // documented error list.
      const unauthorized = () =>
        response.untyped(
          jsonAnswer(
            [{ error: { object: "user", property: "base", message: "Authentication failed." } }],
            401,
          ),
        );
      const unprocessable = (object: string, property: string, message: string) =>
        response(422).json([{ error: { object, property, message } }]);

      return withFaults(context, "levelup", request, {
        expired: unauthorized,
        internalError: () => htmlError(500),
        inProgress: () =>
          response.untyped(
            jsonAnswer(
              [{ error: { object: "order", property: "base", message: "Request in progress." } }],
              409,
            ),
          ),
        process: async () => {
          if (request.headers.get("authorization") !== `token ${credentials.token}`) {
            return unauthorized();
          }
          const uuid = params.uuid;
          // The body may be absent (the spec does not require one): no manager confirmation then.
          const checked = await checkRequest<LevelupRefundBody>(
            validator,
            REFUND,
            request,
            { uuid },
            {
              parameters: () => response(404).empty(),
              json: () => unprocessable("refund", "base", "Request body is not valid JSON."),
              body: (errors) => unprocessable("refund", "base", errors.join("; ")),
            },
          );
          if ("refused" in checked) return checked.refused;
          const confirmation = checked.body?.refund.manager_confirmation;

          const order = context.ledger.find("levelup", uuid);
          if (order === undefined || order.seed.provider !== "levelup")
            return response(404).empty();
          await sleep(order.seed.processingMs ?? 0);
          context.ledger.tick(order);
          if (!order.captured || order.refunds.some((refund) => refund.status !== "rejected")) {
            return unprocessable("order", "base", ALREADY_REFUNDED);
          }
          const expected = order.seed.managerConfirmation;
          if (expected !== undefined && confirmation !== expected) {
            return unprocessable(
              "refund",
              "manager_confirmation",
              "Manager confirmation was incorrect.",
            );
          }
          const created = context.ledger.addRefund(order, {
            id: crypto.randomUUID(),
            amount: order.amount,
            currency: order.currency,
            status: "approved",
            idempotencyKey: null,
            captureId: null,
            cart: null,
            settlesAt: null,
            settleAs: "approved",
          });
          const tip = order.seed.tipAmount ?? 0;
          return response(200).json({
            order: {
              created_at: isoMillis(order.createdAt),
              merchant_funded_credit_amount: 0,
              earn_amount: 0,
              uuid: order.id,
              loyalty_id: 1,
              spend_amount: order.amount - tip,
              refunded_at: isoMillis(created.createdAt),
              tip_amount: tip,
              total_amount: order.amount,
              location_id: 1,
              user_display_name: "Mock U",
            },
          });
        },
      });
    },
  );
  return [refundHandler];
}
