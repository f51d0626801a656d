import type { RequestHandler } from "msw";
import { checkRequest, htmlError } from "../bodies.js";
import type { MockContext } from "../context.js";
import { withFaults } from "../faults.js";
import type { OrderState } from "../ledger.js";
import { fingerprintOf, withIdempotency } from "../replay.js";
import { createSpecHttp } from "../spec-http.js";
import { type JsonRequestBody, type MoyasarPaths, routes } from "../specs.js";

/** The refund request body, from the generated `paths`. */
type MoyasarRefundBody = JsonRequestBody<MoyasarPaths[typeof routes.moyasar.refund.path]["post"]>;

import { isoSeconds, sleep } from "../time.js";

const REFUND = "RefundOrder";

/** Ajv messages as MPG's `errors`: `{amount: ["..."]}`, keyed by the request field. */
function fieldErrors(errors: string[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const error of errors) {
    const field =
      /^\/([^/ ]+)/.exec(error)?.[1] ?? /required property '([^']+)'/.exec(error)?.[1] ?? "base";
    const message = /must be >= 1/.test(error)
      ? "The value must be greater than or equal to 1."
      : /required property/.test(error)
        ? "The value is required."
        : /must be integer/.test(error)
          ? "The value must be an integer."
          : error.replace(/^\S+ /, "The value ");
    const list = byField[field] ?? [];
    list.push(message);
    byField[field] = list;
  }
  return byField;
}

/** What every transaction the mock reports shares: made by the merchant, approved by the issuer. */
const MERCHANT_TRANSACTION = {
  source_type: "merchant",
  reverse_reason: null,
  justification: null,
  reversed_transaction_id: null,
  message: "APPROVED",
  response_code: "00",
} as const;

export function moyasarHandlers(context: MockContext, baseUrl: string): RequestHandler[] {
  const http = createSpecHttp<MoyasarPaths>({ baseUrl });
  const validator = context.validators.moyasar;
  const credentials = context.credentials.moyasar;

  function orderBody(order: OrderState) {
    context.ledger.tick(order);
    const created = isoSeconds(order.createdAt);
    const refunds = order.refunds.filter((refund) => refund.status === "approved");
    const refunded = refunds.reduce((sum, refund) => sum + refund.amount, 0);
    const updated = order.refunds.at(-1)?.createdAt ?? order.createdAt;
    return {
      id: order.id,
      currency: order.currency,
      amount: order.amount,
      captured_amount: order.captured ? order.amount : 0,
      refunded_amount: refunded,
      voided_amount: 0,
      description: "refundkit mock order",
      created_at: created,
      updated_at: isoSeconds(updated),
      reauthorized_order_id: null,
      agreement: null,
      transactions: [
        ...(order.captured
          ? [
              {
                id: `${order.id}-capture`,
                status: "approved",
                type: "capture",
                ...MERCHANT_TRANSACTION,
                auth_code: "000000",
                amount: order.amount,
                refunded_amount: refunded,
                created_at: created,
              },
            ]
          : []),
        ...order.refunds.map((refund) => ({
          id: refund.id,
          status: refund.status,
          type: "refund",
          ...MERCHANT_TRANSACTION,
          auth_code: null,
          amount: refund.amount,
          refunded_amount: 0,
          created_at: isoSeconds(refund.createdAt),
        })),
      ],
    };
  }

  const refundHandler = http.post(
    routes.moyasar.refund.path,
    async ({ request, params, response }) => {
      const missingAuth = () =>
        response(401).json({ message: "Missing authentication information" });
      const validation = (errors: Record<string, string[]>) =>
        response(422).json({ message: "Data validation failed", errors });

      return withFaults(context, "moyasar", request, {
        expired: missingAuth,
        internalError: () => htmlError(500),
        inProgress: () => response(400).json({ message: "Initial request is still processing." }),
        process: async () => {
          const header = request.headers.get("authorization");
          const key = /^Bearer (\S+)$/.exec(header ?? "")?.[1];
          if (key === undefined) return missingAuth();
          // A publishable key is read but may not refund: MPG's "returns forbidden" 403 (its
          // documented body says "Unauthorized"). Any other key it does not know is a 401.
          if (key.startsWith("pk_")) return response(403).json({ message: "Unauthorized" });
          if (key !== credentials.apiKey) {
            return response(401).json({ message: "Invalid authorization credentials" });
          }
          const id = params.id;
          const checked = await checkRequest<MoyasarRefundBody>(
            validator,
            REFUND,
            request,
            { id },
            {
              parameters: () => response(404).json({ message: "Not Found" }),
              json: () => response(400).json({ message: "The request body is not valid JSON." }),
              body: (errors) => validation(fieldErrors(errors)),
              missing: () => validation({ base: ["The request body is required."] }),
            },
          );
          if ("refused" in checked) return checked.refused;
          const refund = checked.body;
          const transactionId = refund.transaction_id ?? null;

          return withIdempotency(
            context,
            "moyasar",
            transactionId,
            {
              onInFlight: () =>
                response(400).json({ message: "Initial request is still processing." }),
              fingerprint: fingerprintOf(id, [refund.amount]),
              onMismatch: () =>
                response(400).json({
                  message: "The transaction_id is already used by a different request.",
                }),
            },
            async () => {
              const order = context.ledger.find("moyasar", id);
              if (order === undefined) return response(404).json({ message: "Not Found" });
              await sleep(order.seed.processingMs ?? 0);
              if (!order.captured) {
                return validation({ amount: ["The order has no captured amount to refund."] });
              }
              const remaining = context.ledger.refundable(order);
              if (refund.amount > remaining) {
                return validation({
                  amount: [
                    `The amount must be less than or equal to the refundable amount (${remaining}).`,
                  ],
                });
              }
              context.ledger.addRefund(order, {
                id: transactionId ?? crypto.randomUUID(),
                amount: refund.amount,
                currency: order.currency,
                status: "approved",
                idempotencyKey: transactionId,
                captureId: null,
                cart: null,
                settlesAt: null,
                settleAs: "approved",
              });
              return response(200).json(orderBody(order));
            },
          );
        },
      });
    },
  );
  return [refundHandler];
}
