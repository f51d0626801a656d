import type { RequestHandler } from "msw";
import { jsonAnswer } from "../answers.js";
import { bearerToken, checkRequest, htmlError, readJsonBody } from "../bodies.js";
import type { MockContext } from "../context.js";
import { withFaults } from "../faults.js";
import { fingerprintOf, withIdempotency } from "../replay.js";
import { createSpecHttp } from "../spec-http.js";
import { type JsonRequestBody, routes, type SezzlePaths } from "../specs.js";

/** The request bodies, from the generated `paths`. */
type SezzleAuthBody = JsonRequestBody<SezzlePaths[typeof routes.sezzle.auth.path]["post"]>;
type SezzleRefundBody = JsonRequestBody<SezzlePaths[typeof routes.sezzle.refund.path]["post"]>;

import { isoMillis, sleep } from "../time.js";

const REFUND = "HandleRefundAmountByOrder";
const AUTH = "PostAuthentication";
export const SEZZLE_MERCHANT_UUID = "5f1a7e2c-3b4d-4e8f-9a0b-1c2d3e4f5a6b";

export function sezzleHandlers(context: MockContext, baseUrl: string): RequestHandler[] {
  const http = createSpecHttp<SezzlePaths>({ baseUrl });
  const validator = context.validators.sezzle;
  const credentials = context.credentials.sezzle;

  const authHandler = http.post(routes.sezzle.auth.path, async ({ request, response }) => {
    const refused = () =>
      response(401).json([{ code: "unauthorized", message: "authorization not accepted" }]);
    return withFaults(
      context,
      "sezzle",
      request,
      { expired: refused, internalError: () => htmlError(500), process: () => issue() },
      "token",
    );

    async function issue() {
      const body = await readJsonBody(request);
      const accepted =
        body.kind === "json" &&
        validator.validateRequestBody(AUTH, body.value).valid &&
        (body.value as SezzleAuthBody).public_key === credentials.publicKey &&
        (body.value as SezzleAuthBody).private_key === credentials.privateKey;
      if (!accepted) {
        return response(401).json([
          { code: "unauthorized", message: "authorization not accepted" },
        ]);
      }
      const { token, expiresAt } = context.tokens.issue("sezzle", context.tokenTtlSeconds.sezzle);
      return response(200).json({
        token,
        expiration_date: isoMillis(expiresAt),
        merchant_uuid: SEZZLE_MERCHANT_UUID,
      });
    }
  });

  const refundHandler = http.post(
    routes.sezzle.refund.path,
    async ({ request, params, response }) => {
      const unauthorized = () =>
        response(401).json([{ code: "unauthorized", message: "authorization not accepted" }]);
      const badRequest = (message: string) =>
        response(400).json([{ code: "bad_request", message }]);
      const invalid = (message: string) => response(422).json([{ code: "invalid", message }]);

      return withFaults(context, "sezzle", request, {
        expired: unauthorized,
        internalError: () => htmlError(500),
        inProgress: () =>
          response.untyped(jsonAnswer([{ code: "conflict", message: "Request in progress" }], 409)),
        process: async () => {
          const token = bearerToken(request);
          if (token === undefined || context.tokens.check("sezzle", token) !== "valid") {
            return unauthorized();
          }
          const orderId = params.order_uuid;
          const checked = await checkRequest<SezzleRefundBody>(
            validator,
            REFUND,
            request,
            { order_uuid: orderId },
            {
              parameters: (errors) => badRequest(errors.join("; ")),
              json: (error) => badRequest(`invalid JSON: ${error}`),
              body: (errors) => badRequest(errors.join("; ")),
              missing: () => badRequest("request body is required"),
            },
          );
          if ("refused" in checked) return checked.refused;
          const refund = checked.body;
          const requestId = request.headers.get("sezzle-request-id");

          const fingerprint = fingerprintOf(orderId, [refund.amount_in_cents, refund.currency]);
          const onMismatch = () =>
            badRequest(
              "Sezzle-Request-Id was already used for a different refund request; use a new Sezzle-Request-Id",
            );
          return withIdempotency(
            context,
            "sezzle",
            requestId,
            { fingerprint, onMismatch },
            async () => {
              const order = context.ledger.find("sezzle", orderId);
              if (order === undefined) {
                return response(404).json([{ code: "record_not_found", message: "not found" }]);
              }
              await sleep(order.seed.processingMs ?? 0);
              if (refund.amount_in_cents <= 0) {
                return invalid("refund amount must be greater than zero");
              }
              if (!order.captured) return invalid("order has not been captured");
              if (refund.currency !== order.currency) {
                return invalid("currency does not match the order");
              }
              if (refund.amount_in_cents > context.ledger.refundable(order)) {
                return invalid("refund amount exceeds the remaining captured amount");
              }
              const created = context.ledger.addRefund(order, {
                id: crypto.randomUUID(),
                amount: refund.amount_in_cents,
                currency: order.currency,
                status: "approved",
                idempotencyKey: requestId,
                captureId: null,
                cart: null,
                settlesAt: null,
                settleAs: "approved",
              });
              return response(200).json({ uuid: created.id });
            },
          );
        },
      });
    },
  );

  return [authHandler, refundHandler];
}
