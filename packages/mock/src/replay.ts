/**
 * Idempotency: a provider's handle (idempotency key, refund reference) replays the first answer
 * instead of applying the refund again.
 */
import { MockAnswer } from "./answers.js";
import type { MockContext } from "./context.js";
import type { IdempotentAnswer } from "./ledger.js";
import type { MockProvider } from "./types.js";

/**
 * What the idempotency store keeps of an answer to send again: a `MockAnswer`'s own status,
 * header fields and bytes (shared, never changed: nothing is read or copied), or any other
 * Response's, read from a clone.
 */
export async function toAnswer(response: Response): Promise<IdempotentAnswer> {
  const wire = response instanceof MockAnswer ? response.wire() : undefined;
  if (wire !== undefined) return wire;
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  return {
    status: response.status,
    fields: Object.fromEntries(response.headers),
    bytes: bytes.byteLength === 0 ? null : bytes,
  };
}

/** The kept answer again (the same header fields and body), with `status` when given. */
export function fromAnswer(answer: IdempotentAnswer, status = answer.status): MockAnswer {
  return new MockAnswer({ ...answer, status });
}

/**
 * Idempotency by the provider's handle, per merchant (one mock = one merchant per provider: a
 * handle is unique across the merchant's orders, as Optty documents for `refundReference`).
 * A finished request's answer is replayed (with `replayStatus` when given); a request still in
 * flight is either awaited and replayed, or answered by `onInFlight` (MPG). A handle reused with
 * another `fingerprint` (another order, amount or currency) is answered by `onMismatch`, the 4xx
 * a provider that checks its keys sends, and nothing is applied: the mock assumes each provider
 * checks, since replaying another refund's answer would report money that did not move. Only
 * successful answers are kept: a refused request may be retried with the same handle.
 */
export async function withIdempotency(
  context: MockContext,
  provider: MockProvider,
  key: string | null,
  options: {
    replayStatus?: number;
    onInFlight?: () => Response;
    /** The order and parameters the request is for; compared with the key's first use. */
    fingerprint: string;
    onMismatch: () => Response;
  },
  run: () => Promise<Response>,
): Promise<Response> {
  if (key === null) return run();
  for (;;) {
    const record = context.ledger.idempotency.get(provider, key);
    if (record === undefined) break;
    if (record.fingerprint !== options.fingerprint) return options.onMismatch();
    if (record.state === "done") return fromAnswer(record.answer, options.replayStatus);
    if (options.onInFlight !== undefined) return options.onInFlight();
    const answer = await record.done;
    if (answer !== undefined) return fromAnswer(answer, options.replayStatus);
  }
  const finish = context.ledger.idempotency.begin(provider, key, options.fingerprint);
  let answer: IdempotentAnswer | undefined;
  try {
    const response = await run();
    if (response.status >= 200 && response.status < 300) answer = await toAnswer(response);
    return response;
  } finally {
    finish(answer);
  }
}

/** The fingerprint of a keyed refund: its order and the parameters that define it. */
export function fingerprintOf(orderId: string, parameters: unknown): string {
  return JSON.stringify([orderId, parameters]);
}
