import {
  isRefundError,
  type ProviderName,
  type RefundError,
  type RefundErrorCode,
} from "refundkit";
import { CREDENTIAL_VARIABLES } from "./env.js";

/** Exit codes of every command. */
export const EXIT = {
  /** Everything asked for happened. */
  ok: 0,
  /** A refund failed (the provider refused, or the outcome needs a look). */
  failed: 1,
  /** Bad usage or bad input: nothing was sent. */
  usage: 2,
} as const;

/** Bad usage or input found by the CLI itself: one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** What a person can do about each RefundError code. */
export function hintFor(code: RefundErrorCode, provider: ProviderName): string {
  switch (code) {
    case "invalid_request":
      return "fix the input and run again";
    case "unsupported":
      return `${provider} does not support this (see: refundkit capabilities ${provider})`;
    case "authentication_failed":
      return `check ${CREDENTIAL_VARIABLES[provider]} and the environment or base URL`;
    case "permission_denied":
      return "these credentials may not refund: ask the provider for refund permission";
    case "not_found":
      return "check the order id and that the environment or base URL is the order's";
    case "amount_exceeds_refundable":
      return "refund at most what is left on the order";
    case "already_refunded":
      return "nothing to do: the order is already refunded";
    case "not_refundable":
      return "the order cannot be refunded now (not captured or not settled?)";
    case "declined":
      return "the provider declined the refund: see its dashboard for why";
    case "in_progress":
      return "the provider is still processing it: run again later with the same idempotency key";
    case "rate_limited":
      return "run again later with the same idempotency key";
    case "provider_error":
      return "the provider failed: run again with the same idempotency key";
    case "network_error":
    case "timeout":
      return "the outcome is unknown: run again with the same idempotency key, or check the order before refunding again";
  }
}

/** A RefundError as one readable line: `code (provider, HTTP n): message. hint`. */
export function errorLine(error: RefundError): string {
  const status = error.status === null ? "no response" : `HTTP ${error.status}`;
  const message = error.message
    .replace(new RegExp(`^${error.provider}: `), "")
    .replace(/\s+/g, " ")
    .replace(/[.\s]+$/, "");
  return `${error.code} (${error.provider}, ${status}): ${message}. ${capitalise(hintFor(error.code, error.provider))}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Exit code for a RefundError: 2 when refused before sending (bad input), else 1. */
export function exitCodeFor(error: RefundError): number {
  return (error.code === "invalid_request" || error.code === "unsupported") && error.status === null
    ? EXIT.usage
    : EXIT.failed;
}

/**
 * Reports a failure of a command: a RefundError or UsageError as one line on stderr (or its JSON
 * with `json`), and the exit code. Anything else is a bug and is rethrown.
 */
export function reportFailure(
  error: unknown,
  json: boolean,
  stream: NodeJS.WritableStream = process.stderr,
): number {
  if (isRefundError(error)) {
    if (json) stream.write(`${JSON.stringify({ error })}\n`);
    else stream.write(`refundkit: ${errorLine(error)}\n`);
    return exitCodeFor(error);
  }
  if (error instanceof UsageError) {
    if (json)
      stream.write(`${JSON.stringify({ error: { code: "usage", message: error.message } })}\n`);
    else stream.write(`refundkit: ${error.message}\n`);
    return EXIT.usage;
  }
  throw error;
}

/**
 * A table for a terminal: a header row, columns padded to their widest cell, numbers (cells of
 * columns listed in `right`) aligned right, two spaces between columns, a newline at the end.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return right.includes(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}
