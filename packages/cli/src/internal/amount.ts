import { currencyExponent, isCurrencyCode, majorToMinor } from "@refundkit/core";

/** A plain decimal as a person types it: digits, optionally a point and more digits. */
const TYPED = /^\d+(?:\.\d+)?$/;

/**
 * An amount typed in major units ("24.98" USD, "500" JPY, "1.250" KWD) to integer minor units,
 * exactly (core's string-based `majorToMinor`, never float arithmetic). Throws a RangeError whose
 * message says what to type instead: an unknown currency, text that is not a plain decimal, or
 * more decimals than the currency has (ISO 4217 exponent; trailing zeros are fine: "24.980" USD).
 */
export function parseTypedAmount(typed: string, currency: string): number {
  if (!isCurrencyCode(currency)) {
    // currencyExponent says why: unknown, lower-case, or a code with no minor unit (XAU).
    currencyExponent(currency);
    throw new RangeError(`unknown currency ${JSON.stringify(currency)}`);
  }
  const text = typed.trim();
  if (!TYPED.test(text)) {
    throw new RangeError(
      `amount ${JSON.stringify(typed)} is not a plain decimal in major units (e.g. 24.98)`,
    );
  }
  const exponent = currencyExponent(currency);
  const point = text.indexOf(".");
  const fraction = point < 0 ? "" : text.slice(point + 1);
  if (fraction.length > exponent && fraction.replace(/0+$/, "").length > exponent) {
    throw new RangeError(
      exponent === 0
        ? `amount ${text} has decimals, but ${currency} has none (ISO 4217 exponent 0)`
        : `amount ${text} has more than ${exponent} decimals, the most ${currency} has (ISO 4217 exponent ${exponent})`,
    );
  }
  // The minor units as digits: the whole part, then the fraction to the exponent (what is cut is
  // zeros, checked above). Up to 15 digits is always an exact integer; longer text goes through
  // core's majorToMinor, which refuses what is beyond Number.MAX_SAFE_INTEGER. String work only,
  // as majorToMinor's: a bulk file converts one amount per row, and this is its common case.
  const minor =
    (point < 0 ? text : text.slice(0, point)) + fraction.padEnd(exponent, "0").slice(0, exponent);
  if (minor.length <= 15) return Number(minor);
  return majorToMinor(text, currency);
}
