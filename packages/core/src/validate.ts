import { type RefundError, refusal } from "./errors.js";
import { isCurrencyCode } from "./money.js";
import type { ProviderName } from "./types.js";

/*
 * Checks run before any request is built. Each throws RefundError("invalid_request") naming the
 * field, never retryable: the same input would fail the same way. Cheap on both paths: no
 * allocation when the input is good, no stack capture when it is refused (`refusal`).
 */

/**
 * Ids travel as path segments (`/orders/{id}/refund`). Encoding alone is not enough: `.` and `..`
 * survive encodeURIComponent and URL parsers resolve them as dot segments (so are `%2e%2e`), and
 * some proxies and servers decode `%2F`, `%3F` and `%23` back into `/`, `?` and `#` before routing.
 * Real provider ids (UUIDs, references, session ids) fit this allowlist, so we refuse the rest
 * instead of trusting every hop to decode the same way.
 */
const PATH_ID = /^[A-Za-z0-9][A-Za-z0-9._~:-]{0,254}$/;

/** Visible ASCII only: the key is sent in a header or a JSON body and must not split either. */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

/**
 * C0/C1 control characters other than tab, LF and CR, and UTF-16 surrogates that are not paired
 * (JSON encoders turn those into U+FFFD, silently changing the text). `\p{Cc}` is exactly
 * U+0000-001F and U+007F-009F; with the `u` flag a string is read by code points, so `\p{Cs}`
 * (surrogates) matches only a surrogate that is not half of a pair.
 */
const UNSAFE_CHARACTER = /(?![\t\n\r])[\p{Cc}\p{Cs}]/u;

/** The refusal: RefundError("invalid_request"), without stack frames (see `refusal`). */
const invalid = (provider: ProviderName, message: string): RefundError =>
  refusal(provider, "invalid_request", message);

/** A short, quoted, single-line rendering of a rejected value for error messages. */
function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return `${typeof value} ${String(value)}`;
  }
  return value === null ? "null" : typeof value;
}

/** `amount` must be a positive safe integer of minor units (cents). */
export function assertAmount(provider: ProviderName, amount: unknown): asserts amount is number {
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
    throw invalid(
      provider,
      `amount must be a positive integer number of minor units (the currency's smallest unit, e.g. cents) no larger than ${Number.MAX_SAFE_INTEGER}; got ${describe(amount)}`,
    );
  }
}

/** `currency` must be an upper-case ISO 4217 code with a minor unit, such as "USD". */
export function assertCurrency(
  provider: ProviderName,
  currency: unknown,
): asserts currency is string {
  if (!isCurrencyCode(currency)) {
    const hint =
      typeof currency === "string" && isCurrencyCode(currency.toUpperCase())
        ? ` (use upper case: "${currency.toUpperCase()}")`
        : "";
    throw invalid(
      provider,
      `currency must be an upper-case ISO 4217 code such as "USD"; got ${describe(currency)}${hint}`,
    );
  }
}

/**
 * `value` (named `field` in the message) must be an id that is safe as one URL path segment:
 * 1 to 255 characters from `A-Z a-z 0-9 . _ ~ : -`, starting with a letter or digit, without `..`.
 */
export function assertPathId(
  provider: ProviderName,
  field: string,
  value: unknown,
): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw invalid(provider, `${field} must be a non-empty string; got ${describe(value)}`);
  }
  if (!PATH_ID.test(value) || value.includes("..")) {
    throw invalid(
      provider,
      `${field} must be 1-255 characters of A-Z a-z 0-9 . _ ~ : - starting with a letter or digit and without "..", so that it cannot change the request path; got ${describe(value)}`,
    );
  }
}

/** 1 to 255 visible ASCII characters: no spaces, no control characters, no non-ASCII. */
export function assertIdempotencyKey(provider: ProviderName, key: unknown): asserts key is string {
  if (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key)) {
    throw invalid(
      provider,
      `idempotencyKey must be 1-255 visible ASCII characters without whitespace; got ${describe(key)}`,
    );
  }
}

/**
 * `value` may be absent (undefined); otherwise a string of at most `maxLength` UTF-16 code units
 * without control characters (tab and line breaks allowed) or unpaired surrogates, which would
 * turn into replacement characters in a JSON body.
 */
export function assertOptionalString(
  provider: ProviderName,
  field: string,
  value: unknown,
  maxLength: number,
): asserts value is string | undefined {
  if (value === undefined) return;
  if (typeof value !== "string") {
    throw invalid(provider, `${field} must be a string when given; got ${describe(value)}`);
  }
  if (value.length > maxLength) {
    throw invalid(
      provider,
      `${field} must be at most ${maxLength} characters; got ${value.length}`,
    );
  }
  if (UNSAFE_CHARACTER.test(value)) {
    throw invalid(
      provider,
      `${field} must not contain control characters or unpaired surrogates; got ${describe(value)}`,
    );
  }
}

/** A fresh idempotency key (a random UUID v4), valid for `assertIdempotencyKey`. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * A path serializer for openapi-fetch's `createClient({ pathSerializer })` that refuses every
 * path parameter `assertPathId` refuses (empty, `.` / `..`, `/ ? # %`, control characters and
 * anything else outside the id alphabet) with RefundError("invalid_request") before the request
 * is built, then serializes with `serialize` (openapi-fetch's `defaultPathSerializer`). The
 * facade and every standalone `create<P>Client` use this one rule. Numbers (safe integers) are
 * checked as their decimal text.
 */
export function guardedPathSerializer(
  provider: ProviderName,
  serialize: (pathname: string, pathParams: Record<string, unknown>) => string,
): (pathname: string, pathParams: Record<string, unknown>) => string {
  return (pathname, pathParams) => {
    // A parameter the path names but the call left out would go out as a literal `{name}`.
    for (const name of namesIn(pathname)) {
      if (pathParams?.[name] === undefined) {
        assertPathId(provider, `path parameter ${name}`, undefined);
      }
    }
    for (const name in pathParams) {
      if (Object.hasOwn(pathParams, name)) pathParamText(provider, name, pathParams[name]);
    }
    return serialize(pathname, pathParams);
  };
}

/**
 * The text a path parameter goes out as, once `assertPathId` accepts it (a safe integer is checked
 * as its decimal text): the one check of `guardedPathSerializer` and core's JSON sender.
 * @throws RefundError("invalid_request") "path parameter <name> must be ...".
 */
export function pathParamText(provider: ProviderName, name: string, value: unknown): string {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  assertPathId(provider, `path parameter ${name}`, text);
  return text;
}

/** The parameter names of each path template seen (a client has a handful: the spec's paths). */
const templateNames = new Map<string, readonly string[]>();

/** The names `{name}` (and `{.name}`, `{;name}`, `{name*}`) in a path template, parsed once. */
function namesIn(pathname: string): readonly string[] {
  let names = templateNames.get(pathname);
  if (names === undefined) {
    names = Array.from(pathname.matchAll(/\{[.;]?([^}*]+)\*?\}/g), (match) => match[1] as string);
    // Templates come from the specs; the bound only guards against a caller building paths.
    if (templateNames.size < 1_000) templateNames.set(pathname, names);
  }
  return names;
}
