// The transport when the caller gives none: node:http keep-alive agents on Node, the runtime's
// `fetch` elsewhere (chosen by export condition: see package.json "imports").
import { defaultFetch } from "#default-fetch";
import { Attempt, abortableSleep, discard, raceAbort } from "./abort.js";
import { configError } from "./config.js";
import { RefundError } from "./errors.js";
import { isRetryableStatus } from "./http.js";
import { ATTEMPT, BufferedResponse, decoder } from "./internal/buffered-response.js";
import { LeanRequest, outgoingParts } from "./outgoing-request.js";
import type { ProviderName } from "./types.js";

/** How long to wait between retries: equal jitter, doubling from `baseMs` up to `maxMs`. */
export interface BackoffOptions {
  /** First retry waits between half of this and this (equal jitter), doubling each retry. Default 300. */
  baseMs?: number;
  /** Upper bound of one backoff wait. Default 8 000. */
  maxMs?: number;
  /** A `Retry-After` longer than this is not waited for: the response is returned. Default 60 000. */
  maxRetryAfterMs?: number;
}

/** Why an attempt is being retried. Carries no request data, so never credentials. */
export type RetryReason =
  | { kind: "status"; status: number }
  | { kind: "timeout" }
  | { kind: "network_error"; code: string | undefined }
  /** The connection failed before anything was sent (ECONNREFUSED, ENOTFOUND...). */
  | { kind: "not_sent"; code: string };

/** Options of `createResilientFetch`: the provider (for errors), timeout, retries and backoff. */
export interface ResilientFetchOptions {
  /** The provider the requests go to; named in every RefundError. */
  provider: ProviderName;
  /**
   * The fetch to send with. Default: on Node, node:http with keep-alive agents while
   * `globalThis.fetch` is Node's own (else the replacement: msw, a stub); elsewhere
   * `globalThis.fetch`; looked up at each call (so msw works).
   */
  fetch?: typeof globalThis.fetch;
  /** Time limit of one attempt, including reading the response body. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /**
   * Whether the provider deduplicates this request (e.g. it carries a `Sezzle-Request-Id`), so
   * that sending it again cannot refund twice. Only such requests are retried after a response or
   * after a failure that may have happened once the request was sent. `body` is the request's
   * body as text (null when none): read it there rather than from `request`.
   */
  isIdempotent: (request: Request, body: string | null) => boolean | Promise<boolean>;
  /**
   * A provider's own "try again" answer beyond the retryable statuses, e.g. MPG's 400 "Initial
   * request is still processing." for a duplicate in flight. Consulted only for idempotent
   * requests with retries left, with a clone of the response; retried like a 503.
   */
  isRetryableResponse?: (response: Response) => boolean | Promise<boolean>;
  backoff?: BackoffOptions;
  /** Waits between attempts; replace in tests. Must settle or reject when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called before each retry with the attempt that failed (1-based) and the wait before the next. */
  onRetry?: (attempt: number, reason: RetryReason, delayMs: number) => void;
}

/** Called with an attempt that failed without an answer: the request as given and its body text. */
type UnansweredHook = (request: Request, body: string | null) => void;

/** The fetches made by `observeUnanswered`: what they send with, and whom they tell. */
const observed = new WeakMap<
  typeof globalThis.fetch,
  { fetch: typeof globalThis.fetch | undefined; onUnanswered: UnansweredHook }
>();

/**
 * `fetch` (default `globalThis.fetch`, looked up at each call) marked so that a resilient fetch
 * sending with it calls `onUnanswered` for every attempt that failed without an answer: a
 * timeout, a reset connection, the caller's abort (such an attempt may have reached the provider
 * and refunded), not a connection that never opened. It is told with the body it already keeps,
 * so nothing is built or read per attempt. Used by `defineAdapter` to note uncertain attempts
 * through the provider's own client, whatever layers that client puts around its transport.
 * Called directly, the returned fetch is a plain pass-through.
 */
export function observeUnanswered(
  fetch: typeof globalThis.fetch | undefined,
  onUnanswered: UnansweredHook,
): typeof globalThis.fetch {
  const passThrough: typeof globalThis.fetch = (input, init) =>
    (fetch ?? globalThis.fetch)(input, init);
  observed.set(passThrough, { fetch, onUnanswered });
  return passThrough;
}

/** Error codes that mean the connection never opened, so the provider never saw the request. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * A `fetch` for openapi-fetch's `fetch` option that adds a per-attempt timeout and retries only
 * where a retry cannot refund twice. Every attempt sends the same body bytes and headers, so the
 * same idempotency handle. After the last retry a response is returned as is (callers map it);
 * a failure without a response throws `RefundError` with code "timeout" or "network_error".
 * The caller's `signal` aborts everything at once and rejects with the caller's reason.
 */
export function createResilientFetch(options: ResilientFetchOptions): typeof globalThis.fetch {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  const baseMs = options.backoff?.baseMs ?? 300;
  const maxMs = options.backoff?.maxMs ?? 8_000;
  const maxRetryAfterMs = options.backoff?.maxRetryAfterMs ?? 60_000;
  const sleep = options.sleep ?? abortableSleep;
  const invalid = (message: string) => configError(options.provider, message);
  // A fetch from `observeUnanswered`: send with the fetch it wraps and tell it of unanswered attempts.
  const observer = options.fetch === undefined ? undefined : observed.get(options.fetch);
  const givenFetch = observer === undefined ? options.fetch : observer.fetch;
  const onUnanswered = observer?.onUnanswered;
  // Number.isFinite is false for anything but a finite number (no coercion).
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw invalid(`timeoutMs must be a positive number of milliseconds; got ${String(timeoutMs)}`);
  }
  if (!(Number.isSafeInteger(maxRetries) && maxRetries >= 0)) {
    throw invalid(`maxRetries must be a non-negative integer; got ${String(maxRetries)}`);
  }

  return async function resilientFetch(input, init) {
    // refundkit's own request (an OutgoingRequest or LeanRequest, with in `init` at most the
    // headers and body the auth layer set) is sent as it is with its kept body: no Request is
    // built here, and synchronously (no promise layer before the attempt). Anything else (a URL
    // and init, a Request built elsewhere) is read once into bytes. The caller's signal stays out
    // of any Request built here: one built with it keeps a listener on it until garbage
    // collection.
    const parts =
      input instanceof Request && (init === undefined || onlyHeadersAndBody(init))
        ? outgoingParts(input)
        : undefined;
    let request: Request;
    let body: string | Uint8Array<ArrayBuffer> | null;
    let callerSignal: AbortSignal | null | undefined;
    if (parts === undefined) {
      callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      request = new Request(input, { ...init, signal: null });
      body = request.body && new Uint8Array(await request.arrayBuffer());
    } else {
      request = input as Request;
      body =
        init?.body === undefined ? parts.body : (init.body as string | Uint8Array<ArrayBuffer>);
      callerSignal = parts.signal;
    }
    // `headers` undefined (no auth layer) is read by fetch as absent: the request's own.
    const headers = parts && init?.headers;
    // The request with its body, for `isIdempotent` and `onUnanswered`: as the client built it
    // (every header but the credential), or one built from the bytes read.
    const view = () => (parts ? request : new Request(request, { body }));
    const text = () => (body && typeof body !== "string" ? decoder.decode(body) : body);
    // One attempt. Core's node:http fetch takes the request as it is (the body in `init`) and the
    // attempt itself (no AbortSignal); any other fetch gets a real Request and the attempt's
    // signal, made only if it reads it; a request read here goes out as a new Request with its
    // body, as fetch would build it.
    const send = (fetchImpl: typeof globalThis.fetch, attempt: Attempt) =>
      ATTEMPT in fetchImpl
        ? fetchImpl(request, { headers, body, [ATTEMPT]: attempt } as RequestInit)
        : parts
          ? fetchImpl(request instanceof LeanRequest ? request.toRequest() : request, {
              headers,
              body,
              get signal() {
                return attempt.signal;
              },
            })
          : fetchImpl(new Request(request, { body, signal: attempt.signal }));
    callerSignal?.throwIfAborted();
    const verdict = options.isIdempotent(view(), text());
    const idempotent = typeof verdict === "boolean" ? verdict : await verdict;
    const fetchImpl = givenFetch ?? defaultFetch();

    // One listener on the caller's signal for the whole call, removed when it settles (or, for
    // the response returned, once its body is read): it aborts the attempt in flight. No
    // AbortSignal.any, whose links outlive the call on Node 20.
    let current: Attempt | undefined;
    const onCallerAbort = () => current?.fail(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort);
    const release = () => callerSignal?.removeEventListener("abort", onCallerAbort);
    let handedOff = false;
    try {
      for (let attempt = 1; ; attempt++) {
        const attemptState = new Attempt();
        current = attemptState;
        let returned: Response | undefined;
        let timedOut = false;
        // The returned body's read, once started.
        let reading: Promise<Uint8Array<ArrayBuffer>> | undefined;
        const timer = setTimeout(() => {
          timedOut = true;
          attemptState.fail(
            new DOMException(`attempt timed out after ${timeoutMs} ms`, "TimeoutError"),
          );
          // Returned but its body never read: free the connection and the caller's signal.
          if (returned !== undefined && reading === undefined) {
            discard(returned);
            release();
          }
        }, timeoutMs);
        let response: Response;
        try {
          response = await attemptState.race(send(fetchImpl, attemptState));
        } catch (error) {
          clearTimeout(timer);
          const reason = classifyFailure(error, timedOut);
          // Money safety: this attempt may have reached the provider and refunded (a connection
          // that never opened did not).
          if (onUnanswered !== undefined && reason.kind !== "not_sent") {
            onUnanswered(view(), text());
          }
          if (callerSignal?.aborted) throw callerSignal.reason;
          const safeToRepeat = idempotent || reason.kind === "not_sent";
          if (!safeToRepeat || attempt > maxRetries) {
            throw failureError(options.provider, request, reason, attempt, safeToRepeat, error);
          }
          await waitBeforeRetry(attempt, reason, backoffDelay(attempt, baseMs, maxMs));
          continue;
        }

        const retriesLeft = idempotent && attempt <= maxRetries;
        if (retriesLeft && isRetryableStatus(response.status)) {
          const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
          if (retryAfterMs === undefined || retryAfterMs <= maxRetryAfterMs) {
            clearTimeout(timer);
            discard(response);
            await waitBeforeRetry(
              attempt,
              { kind: "status", status: response.status },
              retryAfterMs ?? backoffDelay(attempt, baseMs, maxMs),
            );
            continue;
          }
        }

        // The body is read once, when first used, still under this attempt's deadline; the timer
        // is cleared as soon as it is in (or failed), and the caller's listener removed.
        const source = response;
        const read = async (): Promise<Uint8Array<ArrayBuffer>> => {
          try {
            return new Uint8Array(await attemptState.race(source.arrayBuffer()));
          } catch (error) {
            discard(source);
            throw error;
          } finally {
            clearTimeout(timer);
            if (returned !== undefined) release();
          }
        };
        // refundkit's own call (a LeanRequest): its body goes to core's `bodyOf` only.
        const buffered = new BufferedResponse(
          response,
          () => (reading ??= read()),
          request instanceof LeanRequest,
        );
        if (
          retriesLeft &&
          !response.ok &&
          options.isRetryableResponse !== undefined &&
          (await options.isRetryableResponse(buffered.clone())) === true
        ) {
          await waitBeforeRetry(
            attempt,
            { kind: "status", status: response.status },
            backoffDelay(attempt, baseMs, maxMs),
          );
          continue;
        }
        returned = response;
        handedOff = true;
        // Already read (isRetryableResponse): nothing is armed any more.
        if (reading) release();
        return buffered;
      }
    } finally {
      // Handed off: the caller's abort still ends the body read, until `release` runs.
      if (!handedOff) {
        current = undefined;
        release();
      }
    }

    async function waitBeforeRetry(attempt: number, reason: RetryReason, delayMs: number) {
      options.onRetry?.(attempt, reason, delayMs);
      const signal = callerSignal ?? NEVER_ABORTED;
      try {
        await raceAbort(sleep(delayMs, signal), signal);
      } catch (error) {
        if (callerSignal?.aborted) throw callerSignal.reason;
        throw error;
      }
    }
  };
}

/** Given to `sleep` when the caller passed no signal. Never aborts; listeners are removed. */
const NEVER_ABORTED = new AbortController().signal;

function onlyHeadersAndBody(init: RequestInit): boolean {
  for (const key in init) if (key !== "headers" && key !== "body") return false;
  return true;
}

/**
 * Milliseconds a `Retry-After` value asks to wait: delay-seconds or an HTTP-date (a date in the
 * past means 0). undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP-date form starts with a day name; this keeps Date.parse from reading "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

/**
 * Exponential backoff with equal jitter: uniform in [cap/2, cap), cap = min(maxMs, baseMs *
 * 2^(attempt-1)). Half the wait is fixed so retries really spread out (a provider still
 * processing the first attempt gets time), half is random so clients do not retry in step.
 */
function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.floor(cap / 2 + Math.random() * (cap / 2));
}

type FailureReason = Exclude<RetryReason, { kind: "status" }>;

/**
 * Why an attempt failed: its timeout, else the first code along the error's `cause` chain
 * (AggregateErrors' members included, breadth first, 32 errors at most) that says the connection
 * never opened, else the first code found.
 */
function classifyFailure(error: unknown, timedOut: boolean): FailureReason {
  if (timedOut) return { kind: "timeout" };
  let first: string | undefined;
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  for (const current of queue) {
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    if (seen.add(current).size > 32) break;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string") {
      if (NOT_SENT_CODES.has(code)) return { kind: "not_sent", code };
      first ??= code;
    }
    queue.push(cause, ...(current instanceof AggregateError ? current.errors : []));
  }
  return { kind: "network_error", code: first };
}

function failureError(
  provider: ProviderName,
  request: Request,
  reason: FailureReason,
  attempts: number,
  retryable: boolean,
  cause: unknown,
): RefundError {
  // Origin and path only: queries and headers may carry credentials.
  const url = new URL(request.url);
  const target = `${request.method} ${url.origin}${url.pathname}`;
  const what =
    reason.kind === "timeout"
      ? "timed out"
      : reason.kind === "not_sent"
        ? `could not connect (${reason.code})`
        : `failed on the network${reason.code === undefined ? "" : ` (${reason.code})`}`;
  const after = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  const note = retryable
    ? ""
    : "; not retried because the provider may have received it and this request has no idempotency handle: ask the provider before sending it again (refunds.reconcile)";
  return new RefundError({
    code: reason.kind === "timeout" ? "timeout" : "network_error",
    provider,
    message: `${provider}: ${target} ${what} ${after}${note}`,
    status: null,
    retryable,
    cause,
  });
}
