import {
  asNetworkError,
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  type BaseRefundRequest,
  bodyOf,
  type Capabilities,
  defineAdapter,
  errorCodeForStatus,
  newIdempotencyKey,
  type ProviderAdapter,
  type RefundError,
  type RefundResult,
  refundErrorFor,
  refusalIn,
} from "@refundkit/core";
import { createMoyasarClient, type MoyasarClient, type MoyasarConfig } from "./client.js";

/** The unified refund request for MPG: `amount` (and so `currency`) is required. */
export type MoyasarRefundRequest = BaseRefundRequest & {
  /**
   * Sent as `transaction_id`, MPG's (unconfirmed) idempotency handle naming the new refund
   * transaction. Defaults to `idempotencyKey`, else a fresh UUID.
   */
  transactionId?: string;
};

/** MPG: partial refunds, `transaction_id` in the body as the (unconfirmed) idempotency handle. */
export const moyasarCapabilities: Capabilities = Object.freeze({
  partialRefunds: true,
  fullRefundWithoutAmount: false,
  idempotency: "body",
  pendingResults: false,
  lineItems: false,
});

const PATH = "/v1/orders/{id}/refund";
const IN_FLIGHT = "Initial request is still processing.";

const fail = refundErrorFor("moyasar");

/** Validates the request and returns what goes on the wire. */
function validate(request: MoyasarRefundRequest): { amount: number; handle: string } {
  assertPathId("moyasar", "orderId", request.orderId);
  if (request.amount === undefined) {
    throw fail(
      "unsupported",
      "MPG has no full refund without an amount: pass amount (integer minor units) and currency",
    );
  }
  assertAmount("moyasar", request.amount);
  assertCurrency("moyasar", request.currency);
  if (request.idempotencyKey !== undefined) {
    assertIdempotencyKey("moyasar", request.idempotencyKey);
  }
  if (request.transactionId !== undefined) {
    assertPathId("moyasar", "transactionId", request.transactionId);
  }
  if (
    request.transactionId !== undefined &&
    request.idempotencyKey !== undefined &&
    request.transactionId !== request.idempotencyKey
  ) {
    throw fail(
      "invalid_request",
      "transactionId and idempotencyKey are both MPG's transaction_id: give one, or the same value",
    );
  }
  assertOptionalString("moyasar", "reason", request.reason, 1000);
  return {
    amount: request.amount,
    handle: request.transactionId ?? request.idempotencyKey ?? newIdempotencyKey(),
  };
}

function messageOf(body: unknown): string | undefined {
  if (body !== null && typeof body === "object" && "message" in body) {
    return typeof body.message === "string" ? body.message : undefined;
  }
  return undefined;
}

function amountErrors(body: unknown): string[] {
  if (body === null || typeof body !== "object" || !("errors" in body)) return [];
  const errors: unknown = body.errors;
  if (errors === null || typeof errors !== "object" || !("amount" in errors)) return [];
  const amount: unknown = errors.amount;
  return Array.isArray(amount) ? amount.filter((m): m is string => typeof m === "string") : [];
}

/** MPG rows of "Provider answer -> RefundError": https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#provider-answer---refunderror */
function mapError(status: number, raw: unknown): RefundError {
  const message = messageOf(raw);
  const where = `POST /v1/orders/{id}/refund answered ${status}${
    message === undefined ? "" : `: ${message.slice(0, 300)}`
  }`;
  const at = { status, raw };
  if (status === 400 && message === IN_FLIGHT) {
    // A duplicate of a refund that is still processing: retry later with the same transaction_id.
    return fail("in_progress", where, { ...at, retryable: true });
  }
  if (status === 400) return fail(refusalIn(message) ?? "invalid_request", where, at);
  if (status === 401) return fail("authentication_failed", where, at);
  if (status === 403) {
    // MPG answers a key it does not accept with 403 "Unauthorized".
    return fail(
      message === "Unauthorized" ? "authentication_failed" : "permission_denied",
      where,
      at,
    );
  }
  if (status === 404) return fail("not_found", where, at);
  if (status === 422) {
    const amounts = amountErrors(raw);
    const detail = amounts.length > 0 ? `; amount: ${amounts.join(" ").slice(0, 300)}` : "";
    const code =
      [...amounts, message].map((text) => refusalIn(text)).find((found) => found !== undefined) ??
      "invalid_request";
    return fail(code, `${where}${detail}`, at);
  }
  if (status === 429) return fail("rate_limited", where, { ...at, retryable: true });
  // 5xx and anything else: the same transaction_id makes a retry safe (unconfirmed upstream).
  const code = errorCodeForStatus(status);
  return fail(code, where, { ...at, retryable: code === "provider_error" });
}

interface Transaction {
  id: string;
  type: unknown;
  status: unknown;
  amount: unknown;
  created_at: unknown;
}

function transactionsOf(raw: unknown): Transaction[] {
  if (raw === null || typeof raw !== "object" || !("transactions" in raw)) return [];
  const list: unknown = raw.transactions;
  if (!Array.isArray(list)) return [];
  return list.flatMap((t: unknown): Transaction[] =>
    t !== null && typeof t === "object" && "id" in t && typeof t.id === "string"
      ? [
          {
            id: t.id,
            type: "type" in t ? t.type : undefined,
            status: "status" in t ? t.status : undefined,
            amount: "amount" in t ? t.amount : undefined,
            created_at: "created_at" in t ? t.created_at : undefined,
          },
        ]
      : [],
  );
}

/** The refund transaction: the one named by our transaction_id, else the newest refund. */
function refundTransaction(raw: unknown, handle: string): Transaction | undefined {
  const transactions = transactionsOf(raw);
  const named = transactions.find((t) => t.id === handle);
  if (named !== undefined) return named;
  let newest: Transaction | undefined;
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const t of transactions) {
    if (t.type !== "refund") continue;
    const ms = typeof t.created_at === "string" ? Date.parse(t.created_at) : Number.NaN;
    // Later in the list wins ties and unreadable dates.
    const key = Number.isNaN(ms) ? newestMs : ms;
    if (newest === undefined || key >= newestMs) {
      newest = t;
      newestMs = key;
    }
  }
  return newest;
}

function currencyOf(raw: unknown): string | undefined {
  if (raw !== null && typeof raw === "object" && "currency" in raw) {
    return typeof raw.currency === "string" ? raw.currency : undefined;
  }
  return undefined;
}

async function refundWith(
  client: MoyasarClient,
  request: MoyasarRefundRequest,
): Promise<RefundResult<"moyasar">> {
  const { amount, handle } = validate(request);
  const { orderId, signal } = request;
  const { data, error, response } = await client
    .POST(PATH, {
      params: { path: { id: orderId } },
      body: { amount, transaction_id: handle },
      parseAs: "stream",
      signal,
    })
    .catch(
      asNetworkError("moyasar", `refund of order ${orderId} failed before an answer came`, signal),
    );
  if (response.ok) {
    // Any 2xx means money moved: an unexpected body is kept in raw, never an error.
    const raw = await bodyOf(data);
    const transaction = refundTransaction(raw, handle);
    const txAmount = transaction?.amount;
    // MPG refunds synchronously: a 200 is a done refund unless its transaction says otherwise.
    const settled =
      transaction === undefined ||
      (typeof transaction.status === "string" && transaction.status.toLowerCase() === "approved");
    return {
      provider: "moyasar",
      orderId,
      status: settled ? "succeeded" : "pending",
      refundId: transaction?.id ?? handle,
      // A 200 to "refund N" refunded N; the transaction's own figure wins when it has one.
      amount: typeof txAmount === "number" && Number.isSafeInteger(txAmount) ? txAmount : amount,
      currency: currencyOf(raw) ?? request.currency ?? null,
      idempotencyKey: handle,
      raw,
    };
  }
  throw mapError(response.status, error ?? "");
}

/** MPG's side of the unified refund. */
export const moyasarAdapter: ProviderAdapter<"moyasar", MoyasarConfig, MoyasarRefundRequest> =
  defineAdapter({
    provider: "moyasar",
    capabilities: moyasarCapabilities,
    createClient: createMoyasarClient,
    refund: refundWith,
  });
