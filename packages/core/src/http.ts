import { retryAfterMsOf } from "./answers.js";
import { type RefundError, type RefundErrorCode, refundError } from "./errors.js";
import { ownerOf } from "./internal/buffered-response.js";
import type { ProviderName } from "./types.js";

/** A response body read once: the text and, when it is JSON, the parsed value. */
export interface JsonBody {
  /** The body as text ("" when empty). */
  text: string;
  /** The parsed body; undefined when the body is empty or not JSON. */
  json: unknown | undefined;
}

/**
 * Reads a response body as text and parses it as JSON when it is JSON. Providers answer errors
 * with empty bodies (LevelUp's 404) or HTML from a proxy, so malformed or empty bodies are not
 * errors here; a body that fails to arrive (network, timeout) still rejects.
 */
export async function readJsonBody(response: Response): Promise<JsonBody> {
  const text = await response.text();
  return { text, json: parseJson(text) };
}

/** Text already read, parsed as JSON when it is JSON; undefined when empty or not JSON. */
export function parseJson(text: string): unknown | undefined {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A success body as kept in `raw`: the parsed JSON, or the text itself when it is empty or not
 * JSON ("" when absent). Takes openapi-fetch's `data` for `parseAs: "stream"` (or "text"). A 2xx
 * means the money moved, so nothing here throws: a body that cannot even be read (the connection
 * dropped or the attempt's time ran out mid-body) is `null`.
 */
export async function bodyOf(
  data: ReadableStream<Uint8Array> | string | null | undefined,
): Promise<unknown> {
  let text: string;
  try {
    text =
      typeof data === "string"
        ? data
        : data == null
          ? ""
          : await (ownerOf(data)?.text() ?? new Response(data).text());
  } catch {
    return null;
  }
  const json = parseJson(text);
  return json === undefined ? text : json;
}

/** The RefundError codes of the HTTP statuses that have their own; every other is provider_error. */
const CODE_FOR_STATUS: Readonly<Record<number, RefundErrorCode>> = {
  400: "invalid_request",
  401: "authentication_failed",
  403: "permission_denied",
  404: "not_found",
  409: "in_progress",
  422: "declined",
  429: "rate_limited",
};

/** The default RefundError code for an HTTP error status; adapters refine it from error bodies. */
export function errorCodeForStatus(status: number): RefundErrorCode {
  return CODE_FOR_STATUS[status] ?? "provider_error";
}

/**
 * Whether `status` is worth sending again, where the request carries an idempotency handle:
 * 408 Request Timeout, 429 Too Many Requests, and a 5xx (the server failing, not the request)
 * other than 501 and 505. The one rule for both decisions: the resilient fetch retries exactly
 * these, and adapters report exactly these as `retryable`.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  // 501 Not Implemented and 505 HTTP Version Not Supported say the server does not support the
  // request at all: the same request gets the same answer (RFC 9110 sections 15.6.2 and 15.6.6,
  // https://www.rfc-editor.org/rfc/rfc9110#section-15.6).
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * The error of a token endpoint's non-2xx `response` (`endpoint` like "POST /v2/authentication").
 * Not errorCodeForStatus: a 404 from the token endpoint must not read as "order not found".
 * `refused` names what 400/401/403 did not accept ("the API keys"); the body stays in `raw`; a
 * `Retry-After` (a 429 or 503 the retries did not outlast) is kept as `retryAfterMs`, as on a
 * refund's own answer.
 */
export function tokenEndpointError(
  provider: ProviderName,
  endpoint: string,
  response: Response,
  raw: unknown,
  refused: string,
): RefundError {
  const { status } = response;
  const isRefusal = status === 400 || status === 401 || status === 403;
  return refundError(
    provider,
    isRefusal ? "authentication_failed" : status === 429 ? "rate_limited" : "provider_error",
    `${endpoint} answered ${status}${isRefusal ? `: ${refused} were not accepted` : ""}`,
    { status, retryable: isRetryableStatus(status), raw, retryAfterMs: retryAfterMsOf(response) },
  );
}

const ALREADY_REFUNDED =
  /already (been )?(fully )?refunded|fully refunded|nothing (left )?to refund/i;
/** Minimum-amount messages ("must be greater than or equal to 1") are bad input, not refusals. */
const MINIMUM_AMOUNT =
  /greater than or equal to|at least|must be positive|greater than (0|zero)\b/i;
const OVER_REFUND =
  /exceed|greater than|more than|remaining|refundable amount|up to [A-Z]{3}\b|refund limit|too (large|high|much)|maximum/i;

/**
 * What a provider's refusal message says, in the wordings providers use: the order was already
 * refunded, or the amount is more than can still be refunded (Optty: "You can only refund amount
 * up to AUD 24.98"). Undefined when it says neither; adapters then map by status and code.
 */
export function refusalIn(
  message: string | undefined,
): "already_refunded" | "amount_exceeds_refundable" | undefined {
  if (message === undefined || message === "") return undefined;
  if (ALREADY_REFUNDED.test(message)) return "already_refunded";
  if (MINIMUM_AMOUNT.test(message)) return undefined;
  if (OVER_REFUND.test(message)) return "amount_exceeds_refundable";
  return undefined;
}
