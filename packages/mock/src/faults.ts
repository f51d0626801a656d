import { HttpResponse } from "msw";
import { textAnswer } from "./answers.js";
import { htmlError } from "./bodies.js";
import type { MockContext } from "./context.js";
import type { MockRequest } from "./request.js";
import { isMockProvider, MOCK_PROVIDERS, type MockProvider } from "./types.js";

/**
 * - `http_500`: 500. The provider's documented 500 body where its spec has one (Optty's
 *   `{statusCode, message}`), otherwise an HTML error page, as a gateway in front would send.
 * - `http_503`: 503 with an HTML body (load balancer), `Retry-After` absent.
 * - `rate_limit`: 429 with `Retry-After: <retryAfterSeconds, default 1>` and an HTML body.
 * - `hang`: no answer until the client gives up (its signal aborts) or `faults.clear()`.
 * - `reset_after_commit`: the refund is applied, then the connection is reset (no response).
 * - `malformed_json`: the refund is applied and the success status is sent with a truncated
 *   JSON body (a 2xx is still money moved).
 * - `invalid_body`: the refund is applied and the success status is sent with an HTML page
 *   instead of JSON (a proxy's page; still money moved).
 * - `expired_token`: answered as if the credentials/token had expired (the provider's own
 *   401/403 body); nothing is applied.
 * - `in_progress`: the provider's answer to a request whose handle is still being processed
 *   (Sezzle and Optty 409 "Request in progress", MPG 400 "Initial request is still
 *   processing.", LevelUp and Briqpay a 409 in their error shape); nothing is applied by it.
 *
 * With `endpoint: "token"` (Sezzle and Optty only) the fault hits the token endpoint instead:
 * `expired_token` then refuses the credentials (401), `in_progress` is not available.
 */
export type FaultKind =
  | "http_500"
  | "http_503"
  | "rate_limit"
  | "hang"
  | "reset_after_commit"
  | "malformed_json"
  | "invalid_body"
  | "expired_token"
  | "in_progress";

/** Every fault the mock can inject (`faults.inject({ provider, kind })`). */
export const FAULT_KINDS: readonly FaultKind[] = [
  "http_500",
  "http_503",
  "rate_limit",
  "hang",
  "reset_after_commit",
  "malformed_json",
  "invalid_body",
  "expired_token",
  "in_progress",
];

/** Which of a provider's endpoints a fault hits: its refund operation, or its token endpoint. */
export type FaultEndpoint = "refund" | "token";

/** A fault to inject: which provider, what kind, how many requests, and Retry-After for rate limits. */
export interface FaultSpec {
  provider: MockProvider;
  kind: FaultKind;
  /** How many of the provider's next refund requests get this fault. Default 1. */
  count?: number;
  /** For `rate_limit`: the `Retry-After` seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Default "refund"; "token" for Sezzle's `/v2/authentication` and Optty's `/token`. */
  endpoint?: FaultEndpoint;
}

/** A queued fault and how many more requests it applies to. */
export interface PendingFault {
  provider: MockProvider;
  kind: FaultKind;
  endpoint: FaultEndpoint;
  remaining: number;
  retryAfterSeconds: number;
}

/** Fault injection: queue faults for a provider's next refund requests, list and clear them. */
export interface MockFaults {
  /** Queues a fault for the provider's next `count` refund requests (after earlier faults). */
  inject(fault: FaultSpec): void;
  /** Drops queued faults (all, or one provider's) and releases every hanging request. */
  clear(provider?: MockProvider): void;
  /** The queued faults, in order. */
  list(): PendingFault[];
}

export interface FaultController extends MockFaults {
  /** Takes the next fault for a request to `provider`'s `endpoint` (default refund), if any. */
  take(provider: MockProvider, endpoint?: FaultEndpoint): PendingFault | undefined;
  /** Resolves when `signal` aborts or the faults are cleared. */
  hang(signal: AbortSignal | undefined): Promise<void>;
}

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === "string" && (FAULT_KINDS as readonly string[]).includes(value);
}

export function createFaultController(): FaultController {
  const queue: PendingFault[] = [];
  const hanging = new Set<() => void>();
  return {
    inject(fault) {
      if (!isMockProvider(fault.provider)) {
        throw new TypeError(
          `unknown provider ${JSON.stringify(fault.provider)}: one of ${MOCK_PROVIDERS.join(", ")}`,
        );
      }
      if (!isFaultKind(fault.kind)) {
        throw new TypeError(
          `unknown fault kind ${JSON.stringify(fault.kind)}: one of ${FAULT_KINDS.join(", ")}`,
        );
      }
      const count = fault.count ?? 1;
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new TypeError(`fault count must be a positive integer; got ${String(count)}`);
      }
      const retryAfterSeconds = fault.retryAfterSeconds ?? 1;
      if (!Number.isSafeInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
        throw new TypeError("retryAfterSeconds must be a non-negative integer");
      }
      const endpoint = fault.endpoint ?? "refund";
      if (endpoint !== "refund" && endpoint !== "token") {
        throw new TypeError('fault endpoint must be "refund" or "token"');
      }
      if (endpoint === "token" && fault.provider !== "sezzle" && fault.provider !== "optty") {
        throw new TypeError("only sezzle and optty have a token endpoint");
      }
      if (endpoint === "token" && fault.kind === "in_progress") {
        throw new TypeError("in_progress is a refund fault");
      }
      queue.push({
        provider: fault.provider,
        kind: fault.kind,
        endpoint,
        remaining: count,
        retryAfterSeconds,
      });
    },
    clear(provider) {
      for (let index = queue.length - 1; index >= 0; index -= 1) {
        if (provider === undefined || queue[index]?.provider === provider) queue.splice(index, 1);
      }
      for (const release of [...hanging]) release();
    },
    list() {
      return queue.map((fault) => ({ ...fault }));
    },
    take(provider, endpoint = "refund") {
      const index = queue.findIndex(
        (fault) => fault.provider === provider && fault.endpoint === endpoint,
      );
      const fault = queue[index];
      if (fault === undefined) return undefined;
      fault.remaining -= 1;
      if (fault.remaining <= 0) queue.splice(index, 1);
      return { ...fault };
    },
    hang(signal) {
      return new Promise<void>((resolve) => {
        const release = () => {
          hanging.delete(release);
          signal?.removeEventListener("abort", release);
          resolve();
        };
        hanging.add(release);
        if (signal?.aborted) release();
        else signal?.addEventListener("abort", release, { once: true });
      });
    },
  };
}

export interface RefundPipeline {
  /** The provider's answer to an expired token / secret (for a token endpoint: a refusal). */
  expired(): Response;
  /** The provider's 500 (documented body where the spec has one, else HTML). */
  internalError(): Response;
  /** The provider's answer to a request whose handle is still being processed. */
  inProgress?(): Response;
  /** Validates, applies and answers the refund. */
  process(): Promise<Response>;
}

/**
 * Runs a refund request through the provider's queued faults. Faults that fire before the
 * request is handled leave the ledger untouched; `reset_after_commit` and `malformed_json` let
 * the refund apply first.
 */
export async function withFaults(
  context: MockContext,
  provider: MockProvider,
  request: MockRequest,
  pipeline: RefundPipeline,
  endpoint: FaultEndpoint = "refund",
): Promise<Response> {
  const fault: PendingFault | undefined = context.faults.take(provider, endpoint);
  if (fault === undefined) return pipeline.process();
  switch (fault.kind) {
    case "http_500":
      return pipeline.internalError();
    case "http_503":
      return htmlError(503);
    case "rate_limit":
      return htmlError(429, { "Retry-After": String(fault.retryAfterSeconds) });
    case "expired_token":
      return pipeline.expired();
    case "hang":
      await context.faults.hang(request.signal);
      return HttpResponse.error();
    case "reset_after_commit":
      await pipeline.process();
      return HttpResponse.error();
    case "in_progress":
      return pipeline.inProgress?.() ?? htmlError(409);
    case "invalid_body": {
      const response = await pipeline.process();
      if (response.status < 200 || response.status >= 300) return response;
      return textAnswer(
        "<!DOCTYPE html>\n<html><head><title>OK</title></head><body>OK</body></html>\n",
        response.status,
        "text/html; charset=utf-8",
      );
    }
    case "malformed_json": {
      const response = await pipeline.process();
      if (response.status < 200 || response.status >= 300) return response;
      const text = await response.text();
      return textAnswer(
        text.slice(0, Math.max(1, Math.floor(text.length / 2))),
        response.status,
        "application/json",
      );
    }
  }
}
