import { briqpayCartTotals } from "@refundkit/briqpay";
import type { RequestHandler } from "msw";
import { jsonAnswer } from "../answers.js";
import { checkRequest, htmlError } from "../bodies.js";
import type { MockContext } from "../context.js";
import { withFaults } from "../faults.js";
import { createSpecHttp } from "../spec-http.js";
import { type BriqpayPaths, type JsonRequestBody, routes } from "../specs.js";
import { isoMillis, sleep } from "../time.js";

const REFUND = "RefundOrder";

/** The refund request body, from the generated `paths`. */
type BriqpayRefundBody = JsonRequestBody<BriqpayPaths[typeof routes.briqpay.refund.path]["post"]>;

/** The last Authorization header decoded and what it gave: clients send the same one each time. */
let lastBasic: { header: string; given: BasicCredentials | undefined } = {
  header: "",
  given: undefined,
};

type BasicCredentials = Readonly<{ username: string; secret: string }>;

export function basicCredentials(header: string | null): BasicCredentials | undefined {
  if (header === null) return undefined;
  if (header !== lastBasic.header) lastBasic = { header, given: decodeBasic(header) };
  return lastBasic.given;
}

function decodeBasic(header: string): BasicCredentials | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header)?.[1];
  if (encoded === undefined) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(
      Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return Object.freeze({ username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) });
}

export function briqpayHandlers(context: MockContext, baseUrl: string): RequestHandler[] {
  const http = createSpecHttp<BriqpayPaths>({ baseUrl });
  const validator = context.validators.briqpay;
  const credentials = context.credentials.briqpay;

  const refundHandler = http.post(
    routes.briqpay.refund.path,
    async ({ request, params, response }) => {
      type BadCode =
        | "INVALID_DATA"
        | "REFUND_NOT_ALLOWED"
        | "ORDER_NOT_CAPTURED"
        | "REFUND_NOT_SUPPORTED";
      const bad = (code: BadCode, message: string) =>
        response(400).json({ error: { code, message } });
      const forbidden = (code: "INVALID_CREDENTIALS" | "AUTH_SECRET_EXPIRED", message: string) =>
        response(403).json({ error: { code, message } });

      return withFaults(context, "briqpay", request, {
        expired: () => forbidden("AUTH_SECRET_EXPIRED", "The authentication secret has expired"),
        internalError: () => htmlError(500),
        inProgress: () =>
          response.untyped(
            jsonAnswer({ error: { code: "CONFLICT", message: "Request in progress" } }, 409),
          ),
        process: async () => {
          const given = basicCredentials(request.headers.get("authorization"));
          if (given?.username !== credentials.username || given.secret !== credentials.secret) {
            return forbidden("INVALID_CREDENTIALS", "Invalid credentials");
          }
          const sessionId = params.sessionId;
          const checked = await checkRequest<BriqpayRefundBody>(
            validator,
            REFUND,
            request,
            { sessionId },
            {
              parameters: (errors) => bad("INVALID_DATA", errors.join("; ")),
              json: (error) => bad("INVALID_DATA", `Invalid JSON: ${error}`),
              body: (errors) => bad("INVALID_DATA", errors.join("; ")),
              missing: () => bad("INVALID_DATA", "A request body is required"),
            },
          );
          if ("refused" in checked) return checked.refused;
          const refund = checked.body;
          const wire = refund.data.order;
          let totals: { amountIncVat: number; amountExVat: number };
          try {
            totals = briqpayCartTotals(wire.cart);
          } catch (error) {
            // The exact totals are beyond Number.MAX_SAFE_INTEGER: no amount can match them.
            if (error instanceof RangeError) return bad("INVALID_DATA", error.message);
            throw error;
          }
          if (
            totals.amountIncVat !== wire.amountIncVat ||
            totals.amountExVat !== wire.amountExVat
          ) {
            return bad(
              "INVALID_DATA",
              `amountIncVat/amountExVat (${wire.amountIncVat}/${wire.amountExVat}) do not match the cart (${totals.amountIncVat}/${totals.amountExVat})`,
            );
          }
          if (wire.amountIncVat <= 0)
            return bad("INVALID_DATA", "The refund amount must be positive");

          const order = context.ledger.find("briqpay", sessionId);
          if (order === undefined || order.seed.provider !== "briqpay") {
            return bad("INVALID_DATA", `No session found with id ${sessionId}`);
          }
          await sleep(order.seed.processingMs ?? 0);
          if (wire.currency !== order.currency) {
            return bad(
              "INVALID_DATA",
              `currency must be ${order.currency}, the session's currency`,
            );
          }
          if (!order.captured) return bad("ORDER_NOT_CAPTURED", "The order has not been captured");
          const captureId = refund.captureId ?? null;
          if (
            captureId !== null &&
            !order.captures.some((capture) => capture.captureId === captureId)
          ) {
            return bad("INVALID_DATA", `No capture ${captureId} on this session`);
          }
          if (captureId === null && order.captures.length > 1) {
            return bad("INVALID_DATA", "captureId is required: the session has partial captures");
          }
          const effectiveCapture = captureId ?? order.captures[0]?.captureId ?? null;
          if (wire.amountIncVat > context.ledger.refundable(order, captureId)) {
            return bad("REFUND_NOT_ALLOWED", "refund amount exceeds the remaining captured amount");
          }
          const settleAs = order.seed.settleAs ?? "approved";
          const after = order.seed.settleAfterMs;
          const created = context.ledger.addRefund(order, {
            id: crypto.randomUUID(),
            amount: wire.amountIncVat,
            currency: order.currency,
            status: after === 0 ? settleAs : "pending",
            idempotencyKey: null,
            captureId: effectiveCapture,
            // This request's own parsed body: nothing else holds or changes it (the answer below
            // is serialised at once), so the ledger keeps it without a copy.
            cart: wire.cart,
            settlesAt: after === undefined || after === 0 ? null : context.clock() + after,
            settleAs,
          });
          return response(201).json({
            createdAt: isoMillis(created.createdAt),
            refundId: created.id,
            ...(effectiveCapture === null ? {} : { parentCaptureId: effectiveCapture }),
            amountIncVat: wire.amountIncVat,
            amountExVat: wire.amountExVat,
            currency: order.currency,
            cart: wire.cart,
            status: created.status,
            sessionId: order.id,
          });
        },
      });
    },
  );
  return [refundHandler];
}
