const REDACTED = "[redacted]";

/**
 * Holds a credential so that it never ends up in logs, messages or serialized config:
 * `String()`, template literals, `JSON.stringify`, `util.inspect` and `console.log` all show
 * "[redacted]". Only `reveal()` returns the value.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== "string") throw new TypeError("a Secret holds a string");
    this.#value = value;
  }

  /** Wraps `value` unless it already is a Secret. */
  static from(value: string | Secret): Secret {
    return value instanceof Secret ? value : new Secret(value);
  }

  /** The secret itself, for the one place that sends it (an Authorization header). */
  reveal(): string {
    return this.#value;
  }

  /**
   * Always the redaction marker, never the secret. Also what template literals and `+` print:
   * without a `Symbol.toPrimitive`, converting a Secret to a primitive falls back to
   * `toString()` (`valueOf()` returns the object itself).
   */
  toString(): string {
    return REDACTED;
  }

  /** Always the redaction marker: `JSON.stringify` never shows the secret. */
  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}

/** Header names whose values are credentials or session state. */
function isSensitiveHeader(name: string): boolean {
  // The idempotency key identifies a refund attempt; it grants nothing and helps debugging.
  if (name === "idempotency-key") return false;
  return (
    name === "authorization" ||
    name === "proxy-authorization" ||
    name === "cookie" ||
    name === "set-cookie" ||
    name.endsWith("key") ||
    /secret|token|password|signature|session|credential/.test(name)
  );
}

/** Headers as a plain object for logs, with credential values replaced by "[redacted]". */
export function redactHeaders(headers: HeadersInit): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of new Headers(headers)) {
    redacted[name] = isSensitiveHeader(name) ? REDACTED : value;
  }
  return redacted;
}
