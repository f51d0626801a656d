import { createHmac, timingSafeEqual } from "node:crypto";
import {
  bodyBytes,
  headerValue,
  isRecord,
  type ProviderWebhooks,
  type WebhookContext,
  type WebhookEvent,
  type WebhookInput,
  webhookRefusal,
} from "@refundkit/core/internal";
import type { BriqpayConfig } from "./client.js";
import { briqpayStatus } from "./lookup.js";

const PROVIDER = "briqpay";
const refused = /* @__PURE__ */ webhookRefusal(PROVIDER);

/**
 * Signed deliveries older than this are refused: the window Briqpay's own commercetools connector
 * applies (https://github.com/Briqpay-Extensions/connect-payment-integration-briqpay).
 */
export const BRIQPAY_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * `x-briq-signature: t=<ms>,s1=<base64 HMAC-SHA256(secret, "<t>.<raw body>")>`, as Briqpay's
 * published connector verifies it (not in the API reference).
 */
export function signBriqpayWebhook(
  body: string | Uint8Array,
  secret: string,
  timestampMs: number,
): string {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const mac = createHmac("sha256", secret).update(`${timestampMs}.`).update(bytes).digest("base64");
  return `t=${timestampMs},s1=${mac}`;
}

function checkSignature(
  header: string | undefined,
  bytes: Uint8Array,
  context: WebhookContext<"briqpay">,
  secret: string,
): void {
  if (header === undefined) throw refused("no x-briq-signature header (a webhook secret is set)");
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get("t") ?? "";
  const s1 = parts.get("s1") ?? "";
  if (!/^[0-9]{1,16}$/.test(t) || !/^[A-Za-z0-9+/]{43}=$/.test(s1)) {
    throw refused("x-briq-signature is not t=<ms>,s1=<base64 HMAC-SHA256>");
  }
  const expected = createHmac("sha256", secret).update(`${t}.`).update(bytes).digest();
  if (!timingSafeEqual(Buffer.from(s1, "base64"), expected)) {
    throw refused(
      "x-briq-signature does not match the body (wrong secret, or the body was changed)",
    );
  }
  const sentAt = Number(t);
  const tolerance = context.toleranceMs ?? BRIQPAY_SIGNATURE_TOLERANCE_MS;
  if (Math.abs(context.now() - sentAt) > tolerance) {
    throw refused(`stale delivery: signed at ${new Date(sentAt).toISOString()}`);
  }
  if (!context.replay.firstSeen(`briqpay:${s1}`, sentAt + tolerance)) {
    throw refused("replayed delivery: this signature was already accepted");
  }
}

/**
 * Verifies a Briqpay `refund_status` hook. Hooks are unauthenticated ("you must read the session
 * to verify that the hook is valid",
 * https://developer.briqpay.com/docs/3.0.0/guides/guides/quick_guides/payment_steps/completed_session/),
 * so the session is always read back and the refund's amount and status come from that read;
 * a hook whose refund is missing there, or whose status disagrees, is refused. With a webhook
 * secret the `x-briq-signature` header is checked first.
 */
async function verify(
  input: WebhookInput,
  context: WebhookContext<"briqpay">,
): Promise<WebhookEvent<"briqpay">> {
  const bytes = bodyBytes(PROVIDER, input.body);
  if (context.secret !== undefined && context.secret !== "") {
    checkSignature(headerValue(input.headers, "x-briq-signature"), bytes, context, context.secret);
  }
  let hook: unknown;
  try {
    hook = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw refused("the body is not JSON");
  }
  if (
    !isRecord(hook) ||
    hook.event !== "refund_status" ||
    typeof hook.sessionId !== "string" ||
    typeof hook.status !== "string"
  ) {
    throw refused(
      'not a refund_status hook {"event":"refund_status", status, sessionId, refundId}',
    );
  }
  const nested = isRecord(hook.refund) ? hook.refund : {};
  const refundId =
    typeof hook.refundId === "string"
      ? hook.refundId
      : typeof nested.refundId === "string"
        ? nested.refundId
        : null;
  if (refundId === null) throw refused("the hook names no refundId");

  const session = await context.retrieve(hook.sessionId);
  const refund = session.refunds.find((candidate) => candidate.refundId === refundId);
  if (refund === undefined) {
    throw refused(`read-back: session ${hook.sessionId} has no refund ${refundId}`);
  }
  const claimed = briqpayStatus(hook.status);
  if (claimed !== refund.status) {
    throw refused(
      `read-back disagrees: the hook says ${hook.status}, the session says ${refund.status} for refund ${refundId}`,
    );
  }
  return {
    provider: PROVIDER,
    eventId: null,
    type: "refund_status",
    orderId: hook.sessionId,
    refundId,
    status: refund.status,
    amount: refund.amount,
    currency: refund.currency,
    raw: hook,
  };
}

/** Briqpay's refund hooks: verified by reading the session back (and a signature when set up). */
export const briqpayWebhooks: ProviderWebhooks<"briqpay", BriqpayConfig> = {
  provider: PROVIDER,
  kind: "read-back",
  secretFrom(config) {
    const secret = config?.webhookSecret;
    return typeof secret === "string" && secret !== "" ? secret : undefined;
  },
  verify,
};
