import { CODES, NO_MINOR_UNIT } from "./iso4217.js";

/**
 * ISO 4217 codes with their minor-unit exponents, read from src/iso4217.ts (generated from the
 * `currency-codes` package by this package's iso4217 script; codes without a minor unit are left
 * out). Built on first use, so a bundle that never checks a currency drops the table.
 */
let exponents: ReadonlyMap<string, number> | undefined;

function exponentTable(): ReadonlyMap<string, number> {
  if (exponents !== undefined) return exponents;
  const table = new Map<string, number>();
  // "aEDFN": A, then ED and FN; "bHD3": B, then HD with exponent 3 (see src/iso4217.ts).
  let first = "";
  for (const [, letter, rest = "", exponent] of CODES.matchAll(/([a-z])|([A-Z]{2})(\d?)/g)) {
    if (letter !== undefined) first = letter.toUpperCase();
    else table.set(first + rest, exponent ? Number(exponent) : 2);
  }
  exponents = table;
  return table;
}

/** Whether ISO 4217 lists `code` without a minor unit (XAU, XXX...). */
function hasNoMinorUnit(code: string): boolean {
  return NO_MINOR_UNIT.split(" ").includes(code);
}

/** Whether `code` is an upper-case ISO 4217 currency with a defined minor unit ("USD", not "usd"). */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === "string" && exponentTable().has(code);
}

/** Every code `isCurrencyCode` accepts, sorted. */
export function currencyCodes(): string[] {
  return [...exponentTable().keys()].sort();
}

/**
 * The number of minor-unit digits of an ISO 4217 currency: 2 for USD, 0 for JPY and KRW,
 * 3 for KWD, BHD, JOD, OMR and TND. Throws a RangeError for unknown codes and for codes that have
 * no minor unit (XAU, XXX...).
 */
export function currencyExponent(code: string): number {
  const exponent = exponentTable().get(code);
  if (exponent !== undefined) return exponent;
  if (typeof code === "string" && hasNoMinorUnit(code)) {
    throw new RangeError(`currency ${code} has no minor unit in ISO 4217, so it has no amounts`);
  }
  throw new RangeError(
    `unknown currency ${JSON.stringify(code)}: expected an upper-case ISO 4217 code`,
  );
}

/**
 * Integer minor units as an exact decimal string of major units: 2498 USD -> "24.98",
 * 1000 JPY -> "1000", 1005 KWD -> "1.005". Always `exponent` fraction digits (1000 USD -> "10.00").
 */
export function minorToMajor(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(
      `amount must be a non-negative safe integer of minor units; got ${String(amountMinor)}`,
    );
  }
  // Safe integers always stringify as plain digits, so this is pure string work.
  const digits = String(amountMinor);
  if (exponent === 0) return digits;
  const padded = digits.padStart(exponent + 1, "0");
  return `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * `minorToMajor` as a JSON number, for bodies that want major units as numbers (Optty).
 * Throws a RangeError when no double equals that decimal closely enough to stringify back to it
 * (amounts beyond ~15 significant digits), instead of sending a different amount.
 */
export function minorToMajorNumber(amountMinor: number, currency: string): number {
  const decimal = minorToMajor(amountMinor, currency);
  const value = Number(decimal);
  if (parseMajor(String(value), currencyExponent(currency)) !== amountMinor) {
    throw new RangeError(
      `${decimal} ${currency} cannot be sent as a JSON number without changing its value`,
    );
  }
  return value;
}

/**
 * Major units (a number or a decimal string) to integer minor units, exactly: 24.98 USD -> 2498,
 * "1.005" KWD -> 1005, 1e-7 stays a precision error instead of rounding. Works on the decimal text
 * (numbers through `String()`, the shortest text that round-trips), never with float arithmetic.
 * Throws a RangeError for negatives, NaN, Infinity, malformed text, results beyond
 * Number.MAX_SAFE_INTEGER, and values with non-zero digits past the currency's exponent
 * ("24.985" USD). Trailing zeros are fine ("24.980" USD -> 2498): no precision is lost.
 */
export function majorToMinor(value: number | string, currency: string): number {
  const exponent = currencyExponent(currency);
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new RangeError(`amount must be a finite number; got ${String(value)}`);
    }
    text = String(value);
  } else if (typeof value === "string") {
    text = value;
  } else {
    throw new TypeError(`amount must be a number or a decimal string; got ${typeof value}`);
  }
  return parseMajor(text, exponent);
}

/** A plain decimal, optionally with an exponent: "24.98", "5.", ".5", "2.5E-2"; groups int, fraction, power. */
const DECIMAL = /^(?=\.?\d)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseMajor(text: string, exponent: number): number {
  if (text.startsWith("-")) {
    throw new RangeError(`amount must not be negative; got ${quote(text)}`);
  }
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new RangeError(`amount is not a plain decimal number: ${quote(text)}`);
  }
  const [, integerPart = "", fractionPart = "", power = "0"] = match;
  if (power.replace(/^[+-]?0*/, "").length > 6) {
    throw new RangeError(`amount exponent is out of range: ${quote(text)}`);
  }
  // The significant digits (leading zeros dropped), and where the decimal point falls in them
  // once the value is scaled to minor units: all string work, never float arithmetic.
  const digits = (integerPart + fractionPart).replace(/^0+/, "");
  if (digits === "") return 0;
  const point =
    integerPart.length +
    Number(power) +
    exponent -
    (integerPart + fractionPart).length +
    digits.length;
  if (point > 16) {
    throw new RangeError(`amount ${quote(text)} is beyond the largest exact integer`);
  }
  if (/[1-9]/.test(digits.slice(Math.max(point, 0)))) {
    throw new RangeError(
      `amount ${quote(text)} has more fraction digits than the currency's ${exponent} allow`,
    );
  }
  // At most 16 digits: Number() of such an integer above 2^53 - 1 is at least 2^53, so the
  // comparison is exact.
  const minor = Number(point <= 0 ? "0" : digits.slice(0, point).padEnd(point, "0"));
  if (minor > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`amount ${quote(text)} is beyond the largest exact integer`);
  }
  return minor;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
