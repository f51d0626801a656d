/** Frees the connection of a response nobody will read. */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

/** Frees the connection of a response that arrives after nobody waits for it any more. */
function dropLate(promise: Promise<unknown>): void {
  promise.then((value) => value instanceof Response && discard(value)).catch(() => {});
}

/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as it aborts, even if the
 * underlying fetch or sleep ignores the signal. A response that arrives too late is discarded.
 * The listener is removed once it settles (no leak on a long-lived signal).
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const attempt = new Attempt();
  const onAbort = () => attempt.fail(signal.reason);
  // Removed once it settles, whether or not the signal aborted.
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort);
  return attempt.race(promise).finally(() => signal.removeEventListener("abort", onAbort));
}

/** Resolves after `ms`, or rejects with the signal's reason; leaves no timer or listener. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Whether `error` is the caller's abort of `signal` (its reason, or a DOMException it caused). */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && (error === signal.reason || error instanceof DOMException);
}

/**
 * One attempt's abort state, without an AbortController until someone asks for `signal`: a
 * `fetch` that reads its `init.signal` (undici, msw) gets a real one; a `fetch` that answers from
 * memory never pays for it. `fail(reason)` aborts that signal if it exists and rejects whatever
 * `race` is waiting on, so a fetch or body read that ignores its signal still ends on time.
 */
export class Attempt {
  #controller: AbortController | undefined;
  /** Rejects what `race` waits on (the last race; a settled one ignores it). */
  #reject: ((reason: unknown) => void) | undefined;
  #failed = false;
  /** Why it failed (undefined until then). */
  reason: unknown;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#failed) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  /** Whether it failed (read like an AbortSignal's `aborted`, with `reason`). */
  get aborted(): boolean {
    return this.#failed;
  }

  /**
   * Called once at `fail`, instead of an AbortSignal for a transport that can stop its request
   * directly (core's node:http fetch destroys the request).
   */
  onFail: ((reason: unknown) => void) | undefined;

  fail(reason: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    this.onFail?.(reason);
    this.#reject?.(reason);
  }

  /**
   * Settles with `promise`, or rejects at `fail`; a response that arrives too late, or that
   * nobody read when the attempt failed, is discarded.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#reject = (reason) => {
        dropLate(promise);
        reject(reason);
      };
      if (this.#failed) this.#reject(this.reason);
      else promise.then(resolve, reject);
    });
  }
}
