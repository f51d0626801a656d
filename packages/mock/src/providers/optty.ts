import { majorToMinor, minorToMajor, minorToMajorNumber } from "@refundkit/core";
import type { RequestHandler } from "msw";
import { jsonAnswer } from "../answers.js";
import { bearerToken, checkRequest } from "../bodies.js";
import type { MockContext } from "../context.js";
import { withFaults } from "../faults.js";
import { fingerprintOf, withIdempotency } from "../replay.js";
import { createSpecHttp } from "../spec-http.js";
import { type JsonRequestBody, type OpttyPaths, routes } from "../specs.js";
import { httpDate, sleep } from "../time.js";

const REFUND = "RefundsController_refundOrder";
const TOKEN = "PostToken";

/** The refund request body, from the generated `paths`. */
type OpttyRefundBody = JsonRequestBody<OpttyPaths[typeof routes.optty.refund.path]["post"]>;

/** Optty's API host and its auth host (the token endpoint) are separate base URLs. */
export function opttyHandlers(
  context: MockContext,
  baseUrl: string,
  authBaseUrl: string,
): RequestHandler[] {
  const api = createSpecHttp<OpttyPaths>({ baseUrl });
  const auth = createSpecHttp<OpttyPaths>({ baseUrl: authBaseUrl });
  const validator = context.validators.optty;
  const credentials = context.credentials.optty;

  const tokenHandler = auth.post(routes.optty.token.path, async ({ request, response }) => {
    const unauthorized = () => response(401).json({ statusCode: 401, message: "Unauthorized" });
    return withFaults(
      context,
      "optty",
      request,
      {
        expired: unauthorized,
        internalError: () =>
          response.untyped(jsonAnswer({ statusCode: 500, message: "Internal server error" }, 500)),
        process: () => issue(),
      },
      "token",
    );

    async function issue() {
      const type = request.headers.get("content-type") ?? "";
      if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded"))
        return unauthorized();
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      if (
        !validator.validateRequestBody(TOKEN, form, "application/x-www-form-urlencoded").valid ||
        form.client_id !== credentials.clientId ||
        form.client_secret !== credentials.clientSecret ||
        form.scope !== "api-user"
      ) {
        return unauthorized();
      }
      const ttl = context.tokenTtlSeconds.optty;
      const { token } = context.tokens.issue("optty", ttl);
      return response(200).json({ access_token: token, expires_in: ttl, token_type: "Bearer" });
    }
  });

  const refundHandler = api.post(
    routes.optty.refund.path,
    async ({ request, params, response }) => {
      const unauthorized = () => response(401).json({ statusCode: 401, message: "Unauthorized" });
      const badRequest = (message: string) =>
        response(400).json({ statusCode: 400, message, error: "Bad Request" });

      return withFaults(context, "optty", request, {
        expired: unauthorized,
        internalError: () =>
          response(500).json({ statusCode: 500, message: "Internal server error" }),
        inProgress: () =>
          response.untyped(
            jsonAnswer({ statusCode: 409, message: "Request in progress", error: "Conflict" }, 409),
          ),
        process: async () => {
          const token = bearerToken(request);
          if (token === undefined || context.tokens.check("optty", token) !== "valid") {
            return unauthorized();
          }
          const orderReference = params.orderReference;
          const checked = await checkRequest<OpttyRefundBody>(
            validator,
            REFUND,
            request,
            { orderReference },
            {
              parameters: (errors) => badRequest(errors.join("; ")),
              json: (error) => badRequest(error),
              body: (errors) => badRequest(errors.join("; ")),
              missing: () => badRequest("request body is required"),
            },
          );
          if ("refused" in checked) return checked.refused;
          const refund = checked.body;

          // A replayed refundReference answers the first body again, with 200.
          return withIdempotency(
            context,
            "optty",
            refund.refundReference,
            {
              replayStatus: 200,
              fingerprint: fingerprintOf(orderReference, [
                refund.refundAmount.amount,
                refund.refundAmount.currency,
              ]),
              onMismatch: () =>
                badRequest(
                  "refundReference must be unique per merchant: it was already used for a different refund request",
                ),
            },
            async () => {
              const order = context.ledger.find("optty", orderReference);
              if (order === undefined) {
                return response(404).json({ statusCode: 404, message: "Not Found" });
              }
              await sleep(order.seed.processingMs ?? 0);
              if (refund.refundAmount.currency !== order.currency) {
                return badRequest(
                  `refundAmount.currency must match the order currency (${order.currency})`,
                );
              }
              let amount: number;
              try {
                amount = majorToMinor(refund.refundAmount.amount, order.currency);
              } catch {
                return badRequest(
                  "refundAmount.amount must be a positive number with up to 2 decimal places",
                );
              }
              if (!order.captured) return badRequest("The order has not been captured");
              const remaining = context.ledger.refundable(order);
              if (amount > remaining) {
                return badRequest(
                  `You can only refund amount up to ${order.currency} ${minorToMajor(remaining, order.currency)}`,
                );
              }
              const pending = order.seed.provider === "optty" && order.seed.pendingRefunds === true;
              const created = context.ledger.addRefund(order, {
                id: crypto.randomUUID(),
                amount,
                currency: order.currency,
                status: pending ? "pending" : "approved",
                idempotencyKey: refund.refundReference,
                captureId: null,
                cart: null,
                settlesAt: null,
                settleAs: "approved",
              });
              const bnplProvider =
                order.seed.provider === "optty"
                  ? (order.seed.bnplProvider ?? "KLARNA_AU")
                  : "KLARNA_AU";
              return response(201).json({
                refundReference: refund.refundReference,
                bnplProvider,
                refundedAmount: minorToMajorNumber(amount, order.currency),
                refundStatus: pending ? "PENDING" : "SUCCESSFUL",
                description: {},
                refundDate: httpDate(created.createdAt),
                bnplRefundId: created.id,
                // Where the asynchronous outcome will be posted (spec: "refund-callback url").
                ...(pending ? { callbackUrl: `${baseUrl}/refund-callbacks/${created.id}` } : {}),
              });
            },
          );
        },
      });
    },
  );

  return [tokenHandler, refundHandler];
}
