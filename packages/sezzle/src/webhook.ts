import { createHmac, timingSafeEqual } from "node:crypto";
import {
  bodyBytes,
  headerValue,
  isRecord,
  type ProviderWebhooks,
  refundErrorFor,
  type WebhookContext,
  type WebhookEvent,
  type WebhookInput,
  webhookRefusal,
} from "@refundkit/core/internal";
import type { SezzleConfig } from "./client.js";

const PROVIDER = "sezzle";
const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);
const refused = /* @__PURE__ */ webhookRefusal(PROVIDER);

/**
 * How old a delivery may be by its `created_at`. Sezzle retries a delivery that did not get a
 * 200 "multiple attempts in the first hour, a few attempts throughout the day, final attempts
 * one day and three days later, spanning five days total"
 * (https://docs.sezzle.com/docs/api/core/webhooks/infov2webhooks): a genuine retry can be five
 * days old, so that is the default window (an hour of margin added). Older is refused as stale.
 */
export const SEZZLE_WEBHOOK_TOLERANCE_MS = (5 * 24 + 1) * 60 * 60 * 1000;
/** Clocks differ: a `created_at` up to five minutes in the future is accepted. */
const CLOCK_SKEW_MS = 300_000; // 5 minutes

/**
 * The 32-byte MAC in a `Sezzle-Signature` value. Sezzle does not state the encoding; the digest
 * is read as hex (what third-party integrations send back) or base64. Anything else is null.
 */
function signatureBytes(value: string): Buffer | null {
  const text = value.trim().replace(/^sha256=/i, "");
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) return Buffer.from(text, "base64");
  return null;
}

/** `Sezzle-Signature` for a body: hex HMAC-SHA256 with the merchant private key (as the mock signs). */
export function signSezzleWebhook(body: string | Uint8Array, privateKey: string): string {
  return createHmac("sha256", privateKey).update(body).digest("hex");
}

/**
 * Verifies a Sezzle v2 webhook: `Sezzle-Signature` must be the HMAC-SHA256 of the raw body with
 * the merchant private key (compared in constant time, node:crypto `timingSafeEqual`), the body
 * must be the documented envelope `{uuid, created_at, event, data_type, data}`, `created_at` no
 * older than the tolerance, and the event `uuid` not seen before (a replay).
 * https://docs.sezzle.com/docs/api/core/webhooks/infov2webhooks
 */
async function verify(
  input: WebhookInput,
  context: WebhookContext<"sezzle">,
): Promise<WebhookEvent<"sezzle">> {
  const secret = context.secret;
  if (secret === undefined || secret === "") {
    throw fail(
      "invalid_request",
      "verifying a webhook needs the merchant private key: pass secret, or configure sezzle.privateKey",
    );
  }
  const header = headerValue(input.headers, "sezzle-signature");
  if (header === undefined) throw refused("no Sezzle-Signature header");
  const given = signatureBytes(header);
  if (given === null) throw refused("Sezzle-Signature is not an HMAC-SHA256 digest");
  const bytes = bodyBytes(PROVIDER, input.body);
  const expected = createHmac("sha256", secret).update(bytes).digest();
  if (!timingSafeEqual(given, expected)) {
    throw refused("Sezzle-Signature does not match the body (wrong key, or the body was changed)");
  }

  let envelope: unknown;
  try {
    envelope = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw refused("the signed body is not JSON");
  }
  if (
    !isRecord(envelope) ||
    typeof envelope.uuid !== "string" ||
    typeof envelope.event !== "string" ||
    typeof envelope.created_at !== "string" ||
    !isRecord(envelope.data)
  ) {
    throw refused(
      "the signed body is not a Sezzle webhook envelope {uuid, created_at, event, data}",
    );
  }
  const createdAt = Date.parse(envelope.created_at);
  const now = context.now();
  const tolerance = context.toleranceMs ?? SEZZLE_WEBHOOK_TOLERANCE_MS;
  if (Number.isNaN(createdAt)) throw refused("created_at is not a date");
  if (createdAt < now - tolerance) {
    throw refused(
      `stale delivery: created_at ${envelope.created_at} is older than the ${
        tolerance % 3_600_000 === 0 ? `${tolerance / 3_600_000} h` : `${tolerance} ms`
      } allowed (toleranceMs)`,
    );
  }
  if (createdAt > now + CLOCK_SKEW_MS) {
    throw refused(`created_at ${envelope.created_at} is in the future`);
  }
  if (!context.replay.firstSeen(`sezzle:${envelope.uuid}`, createdAt + tolerance)) {
    throw refused(`replayed delivery: event ${envelope.uuid} was already accepted`);
  }

  const data = envelope.data;
  const orderId = typeof data.uuid === "string" ? data.uuid : null;
  if (orderId === null) throw refused("data.uuid (the order) is missing");
  // order.refunded and dispute.closed.customer_win mean the order was refunded; the payload's
  // refund details are not documented, so amount and refund id come from `refunds.retrieve`.
  const refunded =
    envelope.event === "order.refunded" || envelope.event === "dispute.closed.customer_win";
  return {
    provider: PROVIDER,
    eventId: envelope.uuid,
    type: envelope.event,
    orderId,
    refundId: null,
    status: refunded ? "succeeded" : null,
    amount: null,
    currency: null,
    raw: envelope,
  };
}

/** Sezzle's webhooks: signed with the merchant private key (`Sezzle-Signature`). */
export const sezzleWebhooks: ProviderWebhooks<"sezzle", SezzleConfig> = {
  provider: PROVIDER,
  kind: "signed",
  secretFrom(config) {
    const key = config?.privateKey;
    return typeof key === "string" && key !== "" ? key : undefined;
  },
  verify,
};
