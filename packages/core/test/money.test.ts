import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  currencyCodes,
  currencyExponent,
  isCurrencyCode,
  majorToMinor,
  minorToMajor,
  minorToMajorNumber,
} from "../src/money.js";

const currencyArb = fc.constantFrom(...currencyCodes());
const EXPONENT_SAMPLES = ["JPY", "USD", "KWD", "CLF"] as const; // 0, 2, 3, 4

describe("currencyExponent", () => {
  it("follows ISO 4217 minor units", () => {
    for (const code of ["JPY", "KRW", "ISK", "VND", "CLP"]) expect(currencyExponent(code)).toBe(0);
    for (const code of ["USD", "EUR", "SAR", "AUD", "SEK"]) expect(currencyExponent(code)).toBe(2);
    for (const code of ["KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD"]) {
      expect(currencyExponent(code)).toBe(3);
    }
    expect(currencyExponent("CLF")).toBe(4);
  });

  it("throws for unknown, lower-case and malformed codes", () => {
    for (const code of ["ABC", "usd", "US", "USDD", "", " USD"]) {
      expect(() => currencyExponent(code)).toThrow(RangeError);
    }
  });

  it("refuses codes that ISO 4217 lists without a minor unit instead of treating them as 0", () => {
    for (const code of ["XAU", "XAG", "XDR", "XXX", "XTS"]) {
      expect(isCurrencyCode(code)).toBe(false);
      expect(() => currencyExponent(code)).toThrow(/no minor unit/);
    }
    // ...while real zero-decimal X codes remain currencies.
    expect(currencyExponent("XOF")).toBe(0);
    expect(currencyExponent("XAF")).toBe(0);
  });

  it("excludes exactly the codes whose minor unit is N.A. in the ISO list shipped with the data", async () => {
    const { readFile } = await import("node:fs/promises");
    const { createRequire } = await import("node:module");
    const xmlPath = createRequire(import.meta.url).resolve("currency-codes/iso-4217-list-one.xml");
    const xml = await readFile(xmlPath, "utf8");
    const notApplicable = new Set(
      [
        ...xml.matchAll(
          /<Ccy>([A-Z]{3})<\/Ccy>\s*<CcyNbr>\d+<\/CcyNbr>\s*<CcyMnrUnts>N\.A\.<\/CcyMnrUnts>/g,
        ),
      ].map((match) => match[1]),
    );
    expect(notApplicable.size).toBeGreaterThan(5);
    for (const code of notApplicable) expect(isCurrencyCode(code)).toBe(false);
    for (const code of currencyCodes()) expect(notApplicable.has(code)).toBe(false);
  });

  it("isCurrencyCode rejects non-strings", () => {
    for (const value of [undefined, null, 840, {}, ["USD"]])
      expect(isCurrencyCode(value)).toBe(false);
    expect(isCurrencyCode("USD")).toBe(true);
  });
});

describe("minorToMajor", () => {
  it("formats exact decimals with the currency's exponent", () => {
    expect(minorToMajor(2498, "USD")).toBe("24.98");
    expect(minorToMajor(1000, "USD")).toBe("10.00");
    expect(minorToMajor(5, "USD")).toBe("0.05");
    expect(minorToMajor(0, "USD")).toBe("0.00");
    expect(minorToMajor(1000, "JPY")).toBe("1000");
    expect(minorToMajor(1005, "KWD")).toBe("1.005");
    expect(minorToMajor(7, "KWD")).toBe("0.007");
    expect(minorToMajor(Number.MAX_SAFE_INTEGER, "USD")).toBe("90071992547409.91");
  });

  it("rejects amounts that are not non-negative safe integers", () => {
    for (const amount of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => minorToMajor(amount, "USD")).toThrow(RangeError);
    }
  });

  it("minorToMajorNumber gives the number JSON.stringify writes as that decimal", () => {
    expect(minorToMajorNumber(2498, "AUD")).toBe(24.98);
    expect(JSON.stringify({ amount: minorToMajorNumber(2498, "AUD") })).toBe('{"amount":24.98}');
    expect(minorToMajorNumber(1000, "JPY")).toBe(1000);
    expect(minorToMajorNumber(1005, "KWD")).toBe(1.005);
  });

  it("minorToMajorNumber refuses amounts a double cannot carry exactly", () => {
    // 90071992547409.91 is not representable; the nearest double prints as ...409.92.
    expect(() => minorToMajorNumber(Number.MAX_SAFE_INTEGER, "USD")).toThrow(RangeError);
  });
});

describe("majorToMinor", () => {
  it("converts numbers and decimal strings exactly", () => {
    expect(majorToMinor(24.98, "USD")).toBe(2498);
    expect(majorToMinor("24.98", "USD")).toBe(2498);
    expect(majorToMinor(0.3, "USD")).toBe(30);
    expect(majorToMinor(1.005, "KWD")).toBe(1005);
    expect(majorToMinor(1000, "JPY")).toBe(1000);
    expect(majorToMinor("10", "USD")).toBe(1000);
    expect(majorToMinor("24.980", "USD")).toBe(2498);
    expect(majorToMinor(".5", "USD")).toBe(50);
    expect(majorToMinor(0, "USD")).toBe(0);
    expect(majorToMinor(-0, "USD")).toBe(0);
    // 19.99 * 100 is 1998.9999999999998 in floats; the string path is exact.
    expect(majorToMinor(19.99, "USD")).toBe(1999);
  });

  it("handles numbers that stringify in exponent form", () => {
    expect(String(1e21)).toBe("1e+21");
    expect(() => majorToMinor(1e21, "JPY")).toThrow(/largest exact integer/);
    expect(majorToMinor(1e13, "USD")).toBe(1_000_000_000_000_000);
    expect(() => majorToMinor(1e15, "USD")).toThrow(/largest exact integer/);
    expect(majorToMinor("1e3", "USD")).toBe(100000);
    expect(majorToMinor("2.5E-1", "USD")).toBe(25);
    expect(() => majorToMinor("2.5E-2", "USD")).toThrow(/fraction digits/);
    expect(String(1e-7)).toBe("1e-7");
    expect(() => majorToMinor(1e-7, "USD")).toThrow(/fraction digits/);
    expect(majorToMinor(1e-3, "KWD")).toBe(1);
    expect(majorToMinor("1e-2", "USD")).toBe(1);
  });

  it("rejects more fraction digits than the exponent allows", () => {
    expect(() => majorToMinor(24.985, "USD")).toThrow(/fraction digits/);
    expect(() => majorToMinor("0.5", "JPY")).toThrow(/fraction digits/);
    expect(() => majorToMinor("1.0005", "KWD")).toThrow(/fraction digits/);
  });

  it("rejects negatives, NaN, Infinity, malformed text and unsafe results", () => {
    expect(() => majorToMinor(-1, "USD")).toThrow(/negative/);
    expect(() => majorToMinor("-0.01", "USD")).toThrow(/negative/);
    expect(() => majorToMinor(Number.NaN, "USD")).toThrow(/finite/);
    expect(() => majorToMinor(Number.POSITIVE_INFINITY, "USD")).toThrow(/finite/);
    for (const text of ["", " 1", "1 ", "+1", "1,5", "0x10", "1_000", "abc", ".", "e5", "1e"]) {
      expect(() => majorToMinor(text, "USD"), text).toThrow(RangeError);
    }
    expect(() => majorToMinor("90071992547409.92", "USD")).toThrow(/largest exact integer/);
    expect(majorToMinor("90071992547409.91", "USD")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => majorToMinor("1e999999", "USD")).toThrow(RangeError);
    expect(() => majorToMinor("1e9999999999", "USD")).toThrow(RangeError);
    expect(majorToMinor("0e999999", "USD")).toBe(0);
    expect(() => majorToMinor(1 as unknown as string, "XAU")).toThrow(RangeError);
    expect(() => majorToMinor({} as unknown as string, "USD")).toThrow(TypeError);
  });
});

const pow10 = (exponent: number) => 10n ** BigInt(exponent);

describe("properties", () => {
  const safeAmount = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

  it("round-trips minor -> major string -> minor for every currency", () => {
    fc.assert(
      fc.property(currencyArb, safeAmount, (currency, amount) => {
        expect(majorToMinor(minorToMajor(amount, currency), currency)).toBe(amount);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips through a JSON number for amounts up to 15 significant digits", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXPONENT_SAMPLES),
        fc.integer({ min: 0, max: 999_999_999_999_999 }),
        (currency, amount) => {
          const value = minorToMajorNumber(amount, currency);
          const wire = JSON.parse(JSON.stringify({ value })) as { value: number };
          expect(majorToMinor(wire.value, currency)).toBe(amount);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("minorToMajor agrees with BigInt division", () => {
    fc.assert(
      fc.property(currencyArb, safeAmount, (currency, amount) => {
        const exponent = currencyExponent(currency);
        const whole = BigInt(amount) / pow10(exponent);
        const fraction = (BigInt(amount) % pow10(exponent)).toString().padStart(exponent, "0");
        expect(minorToMajor(amount, currency)).toBe(
          exponent === 0 ? `${whole}` : `${whole}.${fraction}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("majorToMinor agrees with BigInt arithmetic on decimal strings, or refuses", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXPONENT_SAMPLES),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: -4, max: 4 }),
        (currency, mantissa, fractionDigits, scientific) => {
          const exponent = currencyExponent(currency);
          const digits = mantissa.toString().padStart(fractionDigits + 1, "0");
          const plain =
            fractionDigits === 0
              ? digits
              : `${digits.slice(0, -fractionDigits)}.${digits.slice(-fractionDigits)}`;
          const text = scientific === 0 ? plain : `${plain}e${scientific}`;
          // value = mantissa * 10^(scientific - fractionDigits); in minor units * 10^exponent.
          const shift = scientific - fractionDigits + exponent;
          const exact = shift >= 0 ? mantissa * pow10(shift) : mantissa / pow10(-shift);
          const isExact = shift >= 0 || mantissa % pow10(-shift) === 0n;
          if (isExact && exact <= BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(majorToMinor(text, currency)).toBe(Number(exact));
          } else {
            expect(() => majorToMinor(text, currency)).toThrow(RangeError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("never rounds a double: a result converts back to the very same number", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXPONENT_SAMPLES),
        fc.double({ min: 0, max: 1e17, noNaN: true }),
        (currency, value) => {
          let minor: number;
          try {
            minor = majorToMinor(value, currency);
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError);
            return;
          }
          expect(Number(minorToMajor(minor, currency))).toBe(value);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
