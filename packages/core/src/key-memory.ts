import type { AdapterContext } from "./adapter.js";
import { RefundError, refundError } from "./errors.js";
import type { ProviderName } from "./types.js";

/**
 * The parameters each recently used idempotency key was sent with, so that a key reused for
 * another order, amount or currency is refused before it is sent (the provider would either
 * replay the first refund's answer, and the caller would read money that did not move, or refuse
 * it only after the round trip). Bounded: at most `capacity` keys, the least recently used
 * forgotten first, so memory does not grow with the number of refunds.
 */
export interface KeyMemory {
  /**
   * Records `key` as sent with `fingerprint` (a string of the parameters that must not change).
   * Returns "mismatch" when the key is remembered with another fingerprint (nothing is changed),
   * else a function that forgets the record again, for when the provider refused the request
   * outright and so did not keep the key either.
   */
  claim(key: string, fingerprint: string): "mismatch" | (() => void);
  /** How many keys are remembered now (at most the capacity). */
  readonly size: number;
}

/** Default number of keys a client remembers: enough for retries, about 100 kB at most. */
export const DEFAULT_KEY_MEMORY = 1_000;

/** A `KeyMemory` of at most `capacity` keys (0: remembers nothing, every claim succeeds). */
export function createKeyMemory(capacity: number = DEFAULT_KEY_MEMORY): KeyMemory {
  if (!Number.isSafeInteger(capacity) || capacity < 0) {
    throw new RangeError(`key memory capacity must be a non-negative integer; got ${capacity}`);
  }
  // A Map iterates in insertion order: deleting and re-setting a key makes it the newest.
  const entries = new Map<string, string>();
  // The eviction cursor: one live iterator, kept. Every key it passed was evicted, and a key used
  // again is re-inserted at the end, so its next entry is always the least recently used one. A
  // fresh `entries.keys()` per eviction would skip, every time, the deleted slots the Map keeps
  // at its front until it compacts (about 0.5 us a refund once the memory is full). Map
  // iterators stay valid across deletions and insertions (ECMA-262 %MapIteratorPrototype%.next).
  let oldest = entries.keys();
  const noop = () => {};
  return {
    claim(key, fingerprint) {
      if (capacity === 0) return noop;
      const known = entries.get(key);
      if (known !== undefined) {
        if (known !== fingerprint) return "mismatch";
        // Used again: now the most recent.
        entries.delete(key);
        entries.set(key, fingerprint);
        return noop;
      }
      entries.set(key, fingerprint);
      // One new key: at most one to forget (the least recently used comes first).
      if (entries.size > capacity) {
        let next = oldest.next();
        if (next.done === true) {
          // Only after the Map was empty (an iterator that finished stays finished).
          oldest = entries.keys();
          next = oldest.next();
        }
        if (next.done !== true) entries.delete(next.value);
      }
      return () => {
        if (entries.get(key) === fingerprint) entries.delete(key);
      };
    },
    get size() {
      return entries.size;
    },
  };
}

/** A key claimed for one refund call: release it when the provider refused the request outright. */
export interface KeyClaim {
  /**
   * Call with the call's failure: a RefundError for a 4xx that is not retryable means the provider
   * refused the request before acting on it (and kept no record of the key), so the key is
   * forgotten and may be used again with other parameters. Any other failure keeps the record:
   * the refund may have happened under that key.
   */
  failed(error: unknown): void;
}

/**
 * Claims `key` in `memory` for `params` (the parameters that define the refund: order, amount,
 * currency and the like), or throws RefundError("invalid_request") before anything is sent when
 * this client already sent the key with other parameters.
 */
export function claimKey(
  provider: ProviderName,
  memory: KeyMemory,
  key: string,
  params: Readonly<Record<string, unknown>>,
): KeyClaim {
  const outcome = memory.claim(key, JSON.stringify(params));
  if (outcome === "mismatch") {
    throw refundError(
      provider,
      "invalid_request",
      `idempotencyKey ${JSON.stringify(key.slice(0, 80))} was already sent for another refund (other ${Object.keys(params).join(", ")}): a new refund needs a new key`,
      { idempotencyKey: key },
    );
  }
  return {
    failed(error) {
      if (
        error instanceof RefundError &&
        !error.retryable &&
        error.status !== null &&
        error.status >= 400 &&
        error.status < 500 &&
        error.code !== "in_progress"
      ) {
        outcome();
      }
    },
  };
}

/**
 * One refund call carrying idempotency key `key`: claims the key for `params` (see `claimKey`),
 * runs `send`, and settles what its failure means. When an earlier attempt of this call failed
 * without an answer (it may have refunded) and the call then ends in a refusal that is not
 * retryable (say a 401 on the retry), the refusal says nothing about that first attempt: the
 * call is reported as `network_error`, `retryable: true` with the key (retrying with it is safe
 * and gets the first attempt's outcome), the refusal as `cause`. A refusal is never reported
 * for a call that may have moved money.
 */
export async function keyedCall<T>(
  provider: ProviderName,
  context: AdapterContext,
  key: string,
  params: Readonly<Record<string, unknown>>,
  send: () => Promise<T>,
): Promise<T> {
  context.keys ??= createKeyMemory();
  const claim = claimKey(provider, context.keys, key, params);
  context.uncertain.set(key, false);
  try {
    return await send();
  } catch (error) {
    const settled =
      context.uncertain.get(key) === true ? uncertainOutcome(provider, key, error) : error;
    claim.failed(settled);
    throw settled;
  } finally {
    context.uncertain.delete(key);
  }
}

function uncertainOutcome(provider: ProviderName, key: string, error: unknown): unknown {
  if (!(error instanceof RefundError) || error.retryable) return error;
  if (error.code === "timeout" || error.code === "network_error") return error;
  return refundError(
    provider,
    "network_error",
    `an attempt of this refund failed without an answer (it may have been applied), then another was refused (${error.message}); whether it was refunded is unknown: retry with the same idempotencyKey to learn the outcome`,
    { retryable: true, idempotencyKey: key, cause: error },
  );
}
