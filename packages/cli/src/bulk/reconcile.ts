import {
  type ProviderName,
  RefundError,
  type RefundRequest,
  type RefundResult,
  type Refunds,
  type RetrievedRefund,
} from "refundkit";

/**
 * The refund `reconcile` found, as a result row: the facade answers the provider's lookup entry
 * (`RetrievedRefund`: refundId, amount, currency, status, createdAt), which has no handle.
 */
function asResult(request: RefundRequest, refund: RefundResult | RetrievedRefund): RefundResult {
  if ("provider" in refund) return refund;
  return {
    provider: request.provider,
    orderId: request.orderId,
    status: refund.status === "pending" ? "pending" : "succeeded",
    refundId: refund.refundId,
    amount: refund.amount,
    currency: refund.currency,
    idempotencyKey: null,
    raw: refund,
  };
}

/**
 * What `refunds.reconcile(request, error)` answers (the facade contract): the provider has the
 * refund, has none, or cannot tell.
 */
export type ReconcileAnswer =
  | { refunded: true; refund: RefundResult | RetrievedRefund }
  | { refunded: false }
  | { refunded: "unknown"; reason: string };

type Reconcile = (
  request: RefundRequest & { sentAt?: number },
  error: RefundError,
) => Promise<ReconcileAnswer>;

/** The facade's `reconcile`, when this version of it has one (feature-detected). */
export function reconcilerOf(refunds: Refunds): Reconcile | null {
  const candidate = (refunds as Refunds & { reconcile?: unknown }).reconcile;
  return typeof candidate === "function" ? (candidate.bind(refunds) as Reconcile) : null;
}

/** What reconciling a row left in flight found: refunded, not refunded (safe to send), or needs review. */
export type InFlightVerdict =
  | { kind: "refunded"; refund: RefundResult }
  /** The provider has no refund from this request: sending it now cannot refund twice. */
  | { kind: "not_refunded" }
  | { kind: "needs_review"; reason: string };

/**
 * A row of a provider without an idempotency handle (LevelUp, Briqpay) whose request may have
 * reached the provider without its answer being recorded (the run stopped, or the answer was a
 * timeout or a network error). Sending it again could refund twice, so it is never re-sent
 * blindly: the facade's `reconcile` asks the provider what it has. Without `reconcile`, or when
 * the provider cannot tell, the row needs a person to look.
 *
 * `sentAt` (epoch ms): when the journal recorded the row as sent, written before the request
 * went out. A re-run passes it so the provider's refunds can be placed against the send (a
 * refund stamped before it is not this row's); in the run that sent it, the facade knows.
 */
export async function reconcileInFlight(
  refunds: Refunds,
  request: RefundRequest,
  error: RefundError | null,
  sentAt?: number,
): Promise<InFlightVerdict> {
  const reconcile = reconcilerOf(refunds);
  const provider: ProviderName = request.provider;
  if (reconcile === null) {
    return {
      kind: "needs_review",
      reason: `${provider} has no idempotency handle and this request may have reached it (${error === null ? "the run stopped before its answer was recorded" : error.message}); it was not sent again: check the order with ${provider} before refunding it`,
    };
  }
  const cause =
    error ??
    new RefundError({
      code: "network_error",
      provider,
      message: `${provider}: the previous run stopped before this refund's answer was recorded`,
      status: null,
      retryable: false,
    });
  try {
    const answer = await reconcile(sentAt === undefined ? request : { ...request, sentAt }, cause);
    if (answer.refunded === true)
      return { kind: "refunded", refund: asResult(request, answer.refund) };
    if (answer.refunded === false) return { kind: "not_refunded" };
    return {
      kind: "needs_review",
      reason: `${provider} could not tell whether the refund happened (${answer.reason}); it was not sent again: check the order with ${provider}`,
    };
  } catch (reconcileError) {
    const message =
      reconcileError instanceof Error ? reconcileError.message : String(reconcileError);
    return {
      kind: "needs_review",
      reason: `asking ${provider} what it has failed (${message}); it was not sent again: check the order with ${provider}`,
    };
  }
}
