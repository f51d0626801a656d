import {
  assertAmount,
  assertCurrency,
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  type BaseRefundRequest,
  type CallInit,
  type Capabilities,
  declinedInAnswer,
  defineAdapter,
  errorCodeForStatus,
  isInProgressAnswer,
  isRecord,
  jsonBodyHandle,
  keyedCall,
  newIdempotencyKey,
  type ProviderAdapter,
  type RefundError,
  type RefundResult,
  refundErrorFor,
  refundOutcomeOf,
  refundSteps,
  refusal,
  refusalIn,
  retryAfterMsOf,
} from "@refundkit/core/internal";
import {
  createMoyasarClient,
  type MoyasarCaller,
  type MoyasarClientOptions,
  type MoyasarConfig,
} from "./client.js";
import type { components } from "./generated/openapi.js";

/** The unified refund request for MPG: `amount` (and so `currency`) is required. */
export type MoyasarRefundRequest = BaseRefundRequest & {
  /**
   * Sent as `transaction_id`, MPG's (unconfirmed) idempotency handle naming the new refund
   * transaction. Defaults to `idempotencyKey`, else a fresh UUID.
   */
  transactionId?: string;
};

/** MPG: partial refunds, `transaction_id` in the body as the (unconfirmed) idempotency handle. */
export const moyasarCapabilities: Capabilities = /* @__PURE__ */ Object.freeze({
  partialRefunds: true,
  fullRefundWithoutAmount: false,
  idempotency: "body",
  pendingResults: false,
  lineItems: false,
});

/** MPG's side of the unified refund: config and request types of `moyasarAdapter`. */
export type MoyasarProviderAdapter = ProviderAdapter<
  "moyasar",
  MoyasarConfig,
  MoyasarRefundRequest
>;

const PROVIDER = "moyasar";

/** The refund: https://mpg-acquirer-docs.moyasar.com/api/orders/orders-api */
const PATH = "/v1/orders/{id}/refund";

/** The one transaction status word MPG documents. */
const SUCCESS_WORDS = ["approved"] as const;

const fail = /* @__PURE__ */ refundErrorFor(PROVIDER);

type RefundBody = components["schemas"]["RefundRequest"];

/**
 * A request `validate` accepted, as it goes out. The idempotency key is sent as
 * `transaction_id` (`transactionId`, else `idempotencyKey`, else a fresh UUID): one reused for
 * another refund would replay that refund's order, so `refundSteps` refuses it before sending
 * when this client sent it.
 */
interface Checked {
  orderId: string;
  amount: number;
  currency: string | undefined;
  idempotencyKey: string;
}

/** Every rule MPG's refund has, before any request: RefundError otherwise. */
function validate(request: MoyasarRefundRequest): Checked {
  assertPathId(PROVIDER, "orderId", request.orderId);
  if (request.amount === undefined) {
    throw refusal(
      PROVIDER,
      "unsupported",
      "MPG has no full refund without an amount: pass amount (integer minor units) and currency",
    );
  }
  assertAmount(PROVIDER, request.amount);
  assertCurrency(PROVIDER, request.currency);
  if (request.idempotencyKey !== undefined) {
    assertIdempotencyKey(PROVIDER, request.idempotencyKey);
  }
  if (request.transactionId !== undefined) {
    assertPathId(PROVIDER, "transactionId", request.transactionId);
  }
  if (
    request.transactionId !== undefined &&
    request.idempotencyKey !== undefined &&
    request.transactionId !== request.idempotencyKey
  ) {
    throw refusal(
      PROVIDER,
      "invalid_request",
      "transactionId and idempotencyKey are both MPG's transaction_id: give one, or the same value",
    );
  }
  assertOptionalString(PROVIDER, "reason", request.reason, 1000);
  return {
    orderId: request.orderId,
    amount: request.amount,
    currency: request.currency,
    idempotencyKey: request.transactionId ?? request.idempotencyKey ?? newIdempotencyKey(),
  };
}

/** The refund body: the amount in minor units and `transaction_id`, the new transaction's id. */
function toWire({ amount, idempotencyKey }: Checked): RefundBody {
  return { amount, transaction_id: idempotencyKey };
}

/** The typed call, the body from `toWire`. */
function send(client: MoyasarCaller, checked: Checked, init: CallInit) {
  const params = { path: { id: checked.orderId } };
  return client.POST(PATH, { params, body: toWire(checked), ...init });
}

/** One of the answer's `transactions` (an object with a string `id`; its other fields unread yet). */
type Transaction = Record<string, unknown> & { id: string };

function transactionsOf(raw: unknown): Transaction[] {
  const list = isRecord(raw) ? raw.transactions : undefined;
  return Array.isArray(list)
    ? list.filter((t: unknown): t is Transaction => isRecord(t) && typeof t.id === "string")
    : [];
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
  if (isRecord(raw)) {
    return typeof raw.currency === "string" ? raw.currency : undefined;
  }
  return undefined;
}

/**
 * A 2xx: MPG refunds synchronously, so a 200 is a done refund unless its transaction says
 * otherwise (a failure word such as "failed" or "declined": nothing moved, an error; an unknown
 * word: pending).
 */
function toResult(
  { orderId, amount, currency, idempotencyKey: handle }: Checked,
  raw: unknown,
  response: Response,
): RefundResult<"moyasar"> {
  const transaction = refundTransaction(raw, handle);
  const txAmount = transaction?.amount;
  const outcome =
    transaction === undefined ? "succeeded" : refundOutcomeOf(transaction.status, SUCCESS_WORDS);
  if (outcome === "failed") {
    throw declinedInAnswer(PROVIDER, {
      orderId,
      status: response.status,
      word: String(transaction?.status),
      raw,
      refundId: transaction?.id ?? null,
      idempotencyKey: handle,
    });
  }
  return {
    provider: PROVIDER,
    orderId,
    status: outcome,
    refundId: transaction?.id ?? handle,
    // A 200 to "refund N" refunded N; the transaction's own figure wins when it has one.
    amount: typeof txAmount === "number" && Number.isSafeInteger(txAmount) ? txAmount : amount,
    currency: currencyOf(raw) ?? currency ?? null,
    idempotencyKey: handle,
    raw,
  };
}

function messageOf(body: unknown): string | undefined {
  if (isRecord(body)) {
    return typeof body.message === "string" ? body.message : undefined;
  }
  return undefined;
}

function amountErrors(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const errors: unknown = body.errors;
  if (!isRecord(errors)) return [];
  const amount: unknown = errors.amount;
  return Array.isArray(amount) ? amount.filter((m): m is string => typeof m === "string") : [];
}

/** Any other status: MPG rows of "Provider answer -> RefundError": https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md#provider-answer---refunderror */
function toError(
  response: Response,
  error: unknown,
  { idempotencyKey: handle }: Checked,
): RefundError {
  const { status } = response;
  const raw = error ?? "";
  const message = messageOf(raw);
  const where = `POST /v1/orders/{id}/refund answered ${status}${
    message === undefined ? "" : `: ${message.slice(0, 300)}`
  }`;
  const at = { status, raw, idempotencyKey: handle, retryAfterMs: retryAfterMsOf(response) };
  if (isInProgressAnswer(status, message ?? "")) {
    // A duplicate of a refund that is still processing ("Initial request is still
    // processing."): retry later with the same transaction_id (core's one in-progress rule).
    return fail("in_progress", where, { ...at, retryable: true });
  }
  if (status === 400) return fail(refusalIn(message) ?? "invalid_request", where, at);
  // MPG's reference documents 401 as "returns unauthorized" (no or unreadable credentials) and
  // 403 as "returns forbidden" (a key that was read but may not refund, e.g. a publishable key),
  // whatever the body's message word says ({message: "Unauthorized"} on its 403 example):
  // https://mpg-acquirer-docs.moyasar.com/api/orders/orders-api. So 401 authentication_failed,
  // 403 permission_denied and 404 not_found by status alone (`errorCodeForStatus`, below).
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

/** MPG's idempotency handle on an outgoing request: the body's `transaction_id`. */
function handleOf(_request: Request, body: string | null): string | null {
  return jsonBodyHandle(body, "transaction_id");
}

/**
 * MPG's adapter over a client factory: `moyasarAdapter` is this over `createMoyasarClient`; the
 * `refundkit` facade uses it over `createMoyasarCaller` (the same calls without openapi-fetch).
 */
export function moyasarAdapterWith(
  createClient: (options: MoyasarClientOptions) => MoyasarCaller,
): MoyasarProviderAdapter {
  return defineAdapter({
    provider: PROVIDER,
    capabilities: moyasarCapabilities,
    createClient,
    refund: refundSteps({
      provider: PROVIDER,
      validate,
      send,
      toResult,
      toError,
      keyed: keyedCall,
    }),
    handleOf,
  });
}

/** MPG's adapter for the refundkit facade: `connect(config)` then `refund(request)`. */
export const moyasarAdapter: MoyasarProviderAdapter =
  /* @__PURE__ */ moyasarAdapterWith(createMoyasarClient);
