import { PROVIDERS, type ProviderName, type RefundError, refusal } from "@refundkit/core/internal";

/**
 * A top-level call the facade cannot serve. Facade errors take the one refusal path
 * (core's `refusal`: the message reads "<provider>: <message>" like every other RefundError, no
 * stack frames captured, like every input refused before a request);
 * `provider` is the name the caller gave (cut to 40 characters), or `"unknown"` when there is none
 * to name (`refund(null)`, `createRefunds(null)`, a non-string `provider`).
 */
export function badCall(given: unknown, message: string): RefundError {
  const provider = typeof given === "string" ? given.slice(0, 40) : "unknown";
  // The contract types `provider` as a known name; a bad call reports what it was given.
  return refusal(provider as ProviderName, "invalid_request", message);
}

/** A `provider` that is not one of PROVIDERS, as a RefundError("invalid_request"). */
export function unknownProvider(value: unknown, where: string): RefundError {
  const name = typeof value === "string" ? value.slice(0, 40) : typeof value;
  return badCall(
    value,
    `${where}: unknown provider "${name}" (expected one of ${PROVIDERS.join(", ")})`,
  );
}

/** Whether `value` is one of the five provider names. */
export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === "string" && (PROVIDERS as readonly string[]).includes(value);
}
