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
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
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
  #reject: ((reason: unknown) => void) | undefined;
  #failure: { reason: unknown } | undefined;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#failure !== undefined) this.#controller.abort(this.#failure.reason);
    }
    return this.#controller.signal;
  }

  /** Whether it failed (read like an AbortSignal's `aborted`, with `reason`). */
  get aborted(): boolean {
    return this.#failure !== undefined;
  }

  /** Why it failed (undefined until then). */
  get reason(): unknown {
    return this.#failure?.reason;
  }

  /**
   * Called once at `fail`, instead of an AbortSignal for a transport that can stop its request
   * directly (core's node:http fetch destroys the request).
   */
  onFail: ((reason: unknown) => void) | undefined;

  fail(reason: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = { reason };
    this.#controller?.abort(reason);
    this.onFail?.(reason);
    const reject = this.#reject;
    this.#reject = undefined;
    reject?.(reason);
  }

  /** Settles with `promise`, or rejects at `fail`; a response that arrives too late is discarded. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.#failure !== undefined) {
      dropLate(promise);
      return Promise.reject(this.#failure.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = (reason) => {
        dropLate(promise);
        reject(reason);
      };
      promise.then(
        (value) => {
          this.#reject = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.#reject = undefined;
          reject(error);
        },
      );
    });
  }
}
