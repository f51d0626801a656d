/** Frees the connection of a response nobody will read. */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as it aborts, even if the
 * underlying fetch or sleep ignores the signal. A response that arrives too late is discarded.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.then((value) => value instanceof Response && discard(value)).catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.then((value) => value instanceof Response && discard(value)).catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Whether `error` is the caller's abort of `signal` (its reason, or a DOMException it caused). */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && (error === signal.reason || error instanceof DOMException);
}
