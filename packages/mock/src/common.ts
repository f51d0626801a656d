import { HttpResponse } from "msw";
import type { MockCredentials } from "./credentials.js";
import type { FaultController, FaultEndpoint, PendingFault } from "./faults.js";
import type { IdempotentAnswer, Ledger } from "./ledger.js";
import type { SpecValidator } from "./openapi/validator.js";
import type { Clock, MockProvider } from "./types.js";

export interface TokenStore {
  issue(provider: "sezzle" | "optty", ttlSeconds: number): { token: string; expiresAt: number };
  /** "valid", "expired" (known but past its expiry on the mock's clock) or "unknown". */
  check(provider: "sezzle" | "optty", token: string): "valid" | "expired" | "unknown";
}

export interface MockContext {
  ledger: Ledger;
  faults: FaultController;
  credentials: MockCredentials;
  clock: Clock;
  tokens: TokenStore;
  tokenTtlSeconds: { sezzle: number; optty: number };
  validators: Record<MockProvider, SpecValidator>;
}

function base64url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function createTokenStore(clock: Clock): TokenStore {
  const tokens = new Map<string, { provider: "sezzle" | "optty"; expiresAt: number }>();
  return {
    issue(provider, ttlSeconds) {
      const now = clock();
      const expiresAt = now + ttlSeconds * 1000;
      // JWT-shaped (both providers hand out JWTs); the signature is random, nothing verifies it.
      const token = [
        base64url(JSON.stringify({ alg: "HS256", typ: "JWT" })),
        base64url(
          JSON.stringify({
            iss: `refundkit-mock-${provider}`,
            iat: Math.floor(now / 1000),
            exp: Math.floor(expiresAt / 1000),
            jti: crypto.randomUUID(),
          }),
        ),
        base64url(crypto.randomUUID()),
      ].join(".");
      tokens.set(token, { provider, expiresAt });
      return { token, expiresAt };
    },
    check(provider, token) {
      const entry = tokens.get(token);
      if (entry === undefined || entry.provider !== provider) return "unknown";
      return entry.expiresAt > clock() ? "valid" : "expired";
    },
  };
}

export type ParsedBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "invalid"; text: string; error: string };

export async function readJsonBody(request: Request): Promise<ParsedBody> {
  const text = await request.text();
  if (text.trim() === "") return { kind: "none" };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: "invalid", text, error: error instanceof Error ? error.message : String(error) };
  }
}

export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer ([^\s]+)$/.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}

export function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export function htmlError(status: number, headers?: Record<string, string>): HttpResponse<string> {
  const reason =
    {
      409: "Conflict",
      429: "Too Many Requests",
      500: "Internal Server Error",
      502: "Bad Gateway",
      503: "Service Unavailable",
    }[status] ?? "Error";
  return new HttpResponse(
    `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><center><h1>${status} ${reason}</h1></center><hr><center>nginx</center></body></html>\n`,
    { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } },
  );
}

/** A response object the idempotency store can keep and send again. */
export async function toAnswer(response: Response): Promise<IdempotentAnswer> {
  return {
    status: response.status,
    body: await response.clone().text(),
    contentType: response.headers.get("content-type"),
  };
}

export function fromAnswer(answer: IdempotentAnswer, status = answer.status): HttpResponse<string> {
  return new HttpResponse(answer.body, {
    status,
    headers: answer.contentType === null ? {} : { "Content-Type": answer.contentType },
  });
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
  request: Request,
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
      return new HttpResponse(
        "<!DOCTYPE html>\n<html><head><title>OK</title></head><body>OK</body></html>\n",
        { status: response.status, headers: { "Content-Type": "text/html; charset=utf-8" } },
      );
    }
    case "malformed_json": {
      const response = await pipeline.process();
      if (response.status < 200 || response.status >= 300) return response;
      const text = await response.text();
      return new HttpResponse(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
        status: response.status,
        headers: { "Content-Type": "application/json" },
      });
    }
  }
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

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
